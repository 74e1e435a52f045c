using Vinfer.Distributions;
using Vinfer.Random;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Experiments.Targets;

/// <summary>
/// A smooth two-moons density with an exact sampler: an equal mixture of two arcs, each a point c + r(cos θ, sin θ)
/// with radius r ~ normal(1, 0.1) and angle θ ~ von Mises(μ, κ = 4); the upper moon has c = (0, 0), μ = π/2, the
/// lower c = (1, 0.5), μ = −π/2 (the layout of scikit-learn's <c>make_moons</c>). In the plane the density of an arc
/// is vM(θ) N(r) / r (polar Jacobian) with cos(θ − μ) = (z − c)·(cos μ, sin μ)/r, so no angle is ever computed. The
/// radius is a normal truncated to r &gt; 0, whose missing mass (10⁻²³) is ignored. Exact draws: von Mises angles by
/// Best and Fisher's rejection sampler (Applied Statistics 1979).
/// </summary>
public sealed class TwoMoons : SamplingTarget
{
    private const double Concentration = 4.0;
    private const double RadiusScale = 0.1;
    private static readonly (double Cx, double Cy, double Mu)[] Arcs = [(0.0, 0.0, Math.PI / 2), (1.0, 0.5, -Math.PI / 2)];

    /// <inheritdoc/>
    public override int Dimension => 2;

    /// <inheritdoc/>
    public override string Name => "two_moons";

    /// <inheritdoc/>
    public override string Description => "Two moons: two von Mises arcs of radius ~ normal(1, 0.1) (exact draws known).";

    /// <summary>The arc (0 upper, 1 lower) whose density is higher at (x, y).</summary>
    public static int NearestArc(double x, double y)
    {
        double best = double.NegativeInfinity;
        int arc = 0;
        for (int k = 0; k < 2; k++)
        {
            var (cx, cy, mu) = Arcs[k];
            double dx = x - cx, dy = y - cy, r = Math.Sqrt(dx * dx + dy * dy);
            double lp = Concentration * (dx * Math.Cos(mu) + dy * Math.Sin(mu)) / r - 0.5 * Math.Pow((r - 1) / RadiusScale, 2) - Math.Log(r);
            if (lp > best) { best = lp; arc = k; }
        }
        return arc;
    }

    /// <inheritdoc/>
    public override void Program()
    {
        var z = Sample("z", new ImproperUniform(Constraints.Real, [], [2]));
        // log I₀(κ) by its power series Σ (κ²/4)ᵐ/(m!)², ample at κ = 4
        double i0 = 0, term = 1;
        for (int m = 0; m < 60; m++) { i0 += term; term *= Concentration * Concentration / 4 / ((m + 1.0) * (m + 1.0)); }
        double constant = -Math.Log(2 * Math.PI * i0) - 0.5 * Math.Log(2 * Math.PI * RadiusScale * RadiusScale);
        var x = z.Narrow(-1, 0, 1).Squeeze(-1);
        var y = z.Narrow(-1, 1, 1).Squeeze(-1);
        var arcs = new Tensor[2];
        for (int k = 0; k < 2; k++)
        {
            var (cx, cy, mu) = Arcs[k];
            var dx = x - cx;
            var dy = y - cy;
            var r = (dx.Square() + dy.Square()).Sqrt();
            var cosine = (dx * Math.Cos(mu) + dy * Math.Sin(mu)) / r;
            arcs[k] = (cosine * Concentration - ((r - 1.0) * (1.0 / RadiusScale)).Square() * 0.5 - r.Log() + constant).Unsqueeze(-1);
        }
        Factor("moons", Tensor.Concat(-1, arcs).LogSumExp(-1) - Math.Log(2));
    }

    /// <inheritdoc/>
    public override double[] DrawExact(RandomKey key, int count)
    {
        var z = new double[count * 2];
        var radii = new double[count];
        Vinfer.Random.Sample.Normal(key.Child(0), 1.0, RadiusScale, radii);
        var choice = new double[count];
        Vinfer.Random.Sample.Uniform(key.Child(1), choice);
        var uniforms = new double[3];
        long counter = 0;
        var angleKey = key.Child(2);
        for (int i = 0; i < count; i++)
        {
            var (cx, cy, mu) = Arcs[choice[i] < 0.5 ? 0 : 1];
            double theta = mu + VonMisesOffset(angleKey, ref counter, uniforms);
            double r = radii[i];
            while (r <= 0) { Vinfer.Random.Sample.Normal(angleKey.Child(counter++), 1.0, RadiusScale, uniforms.AsSpan(0, 1)); r = uniforms[0]; }
            z[2 * i] = cx + r * Math.Cos(theta);
            z[2 * i + 1] = cy + r * Math.Sin(theta);
        }
        return z;
    }

    /// <summary>θ − μ for θ ~ von Mises(μ, κ), by Best and Fisher's wrapped-Cauchy envelope.</summary>
    private static double VonMisesOffset(RandomKey key, ref long counter, double[] u)
    {
        double tau = 1 + Math.Sqrt(1 + 4 * Concentration * Concentration);
        double rho = (tau - Math.Sqrt(2 * tau)) / (2 * Concentration);
        double s = (1 + rho * rho) / (2 * rho);
        while (true)
        {
            Vinfer.Random.Sample.Uniform(key.Child(counter++), u);
            double c = Math.Cos(Math.PI * u[0]);
            double f = (1 + s * c) / (s + c);
            double g = Concentration * (s - f);
            if (g * (2 - g) - u[1] > 0 || Math.Log(g / u[1]) + 1 - g >= 0)
                return Math.Sign(u[2] - 0.5) * Math.Acos(Math.Clamp(f, -1, 1));
        }
    }
}
