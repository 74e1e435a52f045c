using Vinfer.Random;
using Vinfer.Tensors;
using Vinfer.Tensors.Kernels;

namespace Vinfer.Distributions;

/// <summary>
/// The von Mises distribution on the circle, p(θ) = exp(κ cos(θ − μ)) / (2π I₀(κ)), an exponential family with
/// sufficient statistic (cos θ, sin θ) and natural parameters η = (κ cos μ, κ sin μ), so log p(θ) = η₁ cos θ +
/// η₂ sin θ − log 2π − log I₀(‖η‖). log I₀ is evaluated through the exponentially scaled Bessel function
/// (<see cref="ModifiedBessel"/>), so large concentrations do not overflow. Built from natural parameters
/// (<see cref="FromNaturalParameters"/>) it is the variational family of McNamara, Loper and Regier, "Globally
/// Convergent Variational Inference" (NeurIPS 2024), whose amortized q(θ | x) has η = f(x; φ). Draws use the
/// rejection sampler of Best and Fisher, "Efficient simulation of the von Mises distribution" (Applied Statistics
/// 1979), and lie in [−π, π); they are not reparameterized.
/// </summary>
/// <remarks>
/// As in PyTorch and Pyro, the support is the real line: the density is 2π-periodic, a density on any interval of
/// length 2π, so an angle may be given in [0, 2π) or [−π, π) alike. <see cref="Mean"/> is the circular mean μ and
/// <see cref="Variance"/> the circular variance 1 − I₁(κ)/I₀(κ).
/// </remarks>
public sealed class VonMises : Distribution
{
    // Below this concentration a draw is uniform: the density differs from 1/(2π) by a factor within 1 ± 1e-100.
    private const double UniformConcentration = 1e-100;

    /// <summary>VonMises(loc, concentration) with broadcast tensor parameters; concentration must be non-negative.</summary>
    public VonMises(Tensor loc, Tensor concentration, bool? validateArgs = null)
        : base(BroadcastParameters(nameof(VonMises), nameof(loc), loc, nameof(concentration), concentration), [], validateArgs)
    {
        CheckParameter(nameof(loc), loc, Constraints.Real);
        CheckParameter(nameof(concentration), concentration, Constraints.NonNegative);
        Loc = loc;
        Concentration = concentration;
        NaturalCos = concentration * loc.Cos();
        NaturalSin = concentration * loc.Sin();
    }

    /// <summary>VonMises with scalar parameters.</summary>
    public VonMises(double loc, double concentration, bool? validateArgs = null) : this(Tensor.Scalar(loc), Tensor.Scalar(concentration), validateArgs) { }

    private VonMises(Tensor naturalCos, Tensor naturalSin, int[] batchShape, bool? validateArgs)
        : base(batchShape, [], validateArgs)
    {
        CheckParameter("naturalCos", naturalCos, Constraints.Real);
        CheckParameter("naturalSin", naturalSin, Constraints.Real);
        NaturalCos = naturalCos;
        NaturalSin = naturalSin;
        Concentration = (naturalCos.Square() + naturalSin.Square()).Sqrt();
        using (GradMode.Disable())
        {
            var shape = Shapes.Broadcast(naturalCos.Shape, naturalSin.Shape);
            var c = naturalCos.Expand(shape).Span; var s = naturalSin.Expand(shape).Span;
            var loc = new double[c.Length];
            for (int i = 0; i < loc.Length; i++) loc[i] = Math.Atan2(s[i], c[i]);
            Loc = Tensor.Wrap(loc, shape);
        }
    }

    /// <summary>
    /// The von Mises with natural parameters η = (<paramref name="naturalCos"/>, <paramref name="naturalSin"/>)
    /// = (κ cos μ, κ sin μ): κ = ‖η‖ (differentiable away from η = 0) and μ = atan2(η₂, η₁) (cut from the graph;
    /// <see cref="LogProb"/> is written in η and needs no μ).
    /// </summary>
    public static VonMises FromNaturalParameters(Tensor naturalCos, Tensor naturalSin, bool? validateArgs = null) =>
        new(naturalCos, naturalSin, BroadcastParameters(nameof(VonMises), nameof(naturalCos), naturalCos, nameof(naturalSin), naturalSin), validateArgs);

    /// <summary>The circular mean μ.</summary>
    public Tensor Loc { get; }

    /// <summary>The concentration κ ≥ 0.</summary>
    public Tensor Concentration { get; }

    /// <summary>η₁ = κ cos μ, the natural parameter of cos θ.</summary>
    public Tensor NaturalCos { get; }

    /// <summary>η₂ = κ sin μ, the natural parameter of sin θ.</summary>
    public Tensor NaturalSin { get; }

    /// <inheritdoc />
    public override Constraint Support => Constraints.Real;

    /// <summary>η₁ cos θ + η₂ sin θ − log 2π − log I₀(κ).</summary>
    public override Tensor LogProb(Tensor value)
    {
        CheckValue(value);
        return NaturalCos * value.Cos() + NaturalSin * value.Sin() - (Concentration.LogBesselI0() + Log2Pi);
    }

    private const double Log2Pi = 1.8378770664093454836;

    /// <summary>Best–Fisher rejection draws in [−π, π) of shape <c>sampleShape ++ BatchShape</c>, cut from the graph.</summary>
    public override Tensor Sample(RandomStream rng, params int[] sampleShape)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var shape = ExtendedShape(sampleShape);
        var result = Tensor.Zeros(shape);
        var output = result.Span;
        Span<double> loc, kappa;
        using (GradMode.Disable())
        {
            loc = Loc.Expand(shape).Span;
            kappa = Concentration.Expand(shape).Span;
        }
        var uniforms = new UniformBuffer(rng);
        for (int i = 0; i < output.Length; i++)
            output[i] = Wrap(loc[i] + Draw(kappa[i], ref uniforms));
        return result;
    }

    /// <summary>One draw of θ − μ from the von Mises with concentration κ (Best and Fisher 1979, algorithm VM).</summary>
    private static double Draw(double kappa, ref UniformBuffer uniforms)
    {
        if (!(kappa >= UniformConcentration)) return Math.PI * (2 * uniforms.Next() - 1);
        // ρ = (τ − √(2τ)) / (2κ), τ = 1 + √(1 + 4κ²), rewritten without the cancellation at small κ.
        double root = Math.Sqrt(1 + 4 * kappa * kappa);
        double tau = 1 + root;
        double rho = 2 * kappa * tau / ((root + 1) * (tau + Math.Sqrt(2 * tau)));
        double r = (1 + rho * rho) / (2 * rho);
        while (true)
        {
            double z = Math.Cos(Math.PI * uniforms.Next());
            double f = (1 + r * z) / (r + z);
            double c = kappa * (r - f);
            double u2 = uniforms.Next();
            if (c * (2 - c) - u2 > 0 || Math.Log(c / u2) + 1 - c >= 0)
            {
                double angle = Math.Acos(Math.Clamp(f, -1, 1));
                return uniforms.Next() < 0.5 ? -angle : angle;
            }
        }
    }

    private static double Wrap(double angle)
    {
        double w = angle - 2 * Math.PI * Math.Floor((angle + Math.PI) / (2 * Math.PI));
        return w >= Math.PI ? w - 2 * Math.PI : w;
    }

    /// <summary>Uniform(0, 1) draws taken from the stream in blocks, as many as the rejection loop needs.</summary>
    private struct UniformBuffer(RandomStream rng)
    {
        private readonly double[] _values = new double[1024];
        private int _next = 1024;

        public double Next()
        {
            if (_next == _values.Length)
            {
                Vinfer.Random.Sample.Uniform(rng.NextKey(), _values);
                _next = 0;
            }
            return _values[_next++];
        }
    }

    /// <summary>The circular mean μ.</summary>
    public override Tensor Mean => Loc.Expand(BatchShape);

    /// <summary>The circular variance 1 − I₁(κ)/I₀(κ).</summary>
    public override Tensor Variance => (1.0 - MeanResultantLength()).Expand(BatchShape);

    /// <summary>log(2π I₀(κ)) − κ I₁(κ)/I₀(κ).</summary>
    public override Tensor Entropy() => (Concentration.LogBesselI0() + Log2Pi - Concentration * MeanResultantLength()).Expand(BatchShape);

    /// <summary>I₁(κ)/I₀(κ) = E[cos(θ − μ)], the mean resultant length.</summary>
    private Tensor MeanResultantLength() => Concentration.BesselI1OverI0();

    /// <inheritdoc />
    public override Distribution Expand(params int[] batchShape)
    {
        CheckExpand(batchShape);
        return FromNaturalParameters(NaturalCos.Expand(batchShape), NaturalSin.Expand(batchShape), false);
    }
}
