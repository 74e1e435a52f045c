using Vinfer.Distributions;
using Vinfer.Random;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Experiments.Targets;

/// <summary>
/// An equal-weight mixture of K isotropic Gaussians (sd σ) centred on a circle of radius R, the usual test of
/// mode coverage for flows and particle methods (e.g. the 8-Gaussian ring of the flow and GAN literature): z is a
/// latent on the plane whose density is added with a factor, log p(z) = log (1/K) Σₖ N(z; cₖ, σ²I) by a stable
/// log-sum-exp. Default K = 8, R = 3, σ = 0.5: neighbouring modes 2.3 apart (4.6 σ), clearly separate.
/// </summary>
public sealed class GaussianRing : SamplingTarget
{
    /// <summary>Eight modes on a circle of radius 3, sd 0.5.</summary>
    public GaussianRing() : this(8, 3.0, 0.5) { }

    /// <summary>A ring of <paramref name="modes"/> Gaussians with radius <paramref name="radius"/> and sd <paramref name="scale"/>.</summary>
    public GaussianRing(int modes, double radius, double scale)
    {
        if (modes < 1) throw new ArgumentOutOfRangeException(nameof(modes), $"GaussianRing: modes must be at least 1, got {modes}.");
        if (!(radius >= 0 && double.IsFinite(radius))) throw new ArgumentOutOfRangeException(nameof(radius), $"GaussianRing: the radius must be finite and non-negative, got {radius}.");
        if (!(scale > 0 && double.IsFinite(scale))) throw new ArgumentOutOfRangeException(nameof(scale), $"GaussianRing: the scale must be positive and finite, got {scale}.");
        Modes = modes;
        Radius = radius;
        Scale = scale;
    }

    /// <summary>The number of modes K.</summary>
    public int Modes { get; }

    /// <summary>The circle's radius R.</summary>
    public double Radius { get; }

    /// <summary>Each component's sd σ.</summary>
    public double Scale { get; }

    /// <inheritdoc/>
    public override int Dimension => 2;

    /// <inheritdoc/>
    public override string Name => "gaussian_ring";

    /// <inheritdoc/>
    public override string Description => "Mixture of 8 Gaussians (sd 0.5) on a ring of radius 3 (exact draws known).";

    /// <summary>The centre of mode k.</summary>
    public (double X, double Y) Centre(int k) => (Radius * Math.Cos(2 * Math.PI * k / Modes), Radius * Math.Sin(2 * Math.PI * k / Modes));

    /// <summary>The mode whose centre is nearest to (x, y).</summary>
    public int NearestMode(double x, double y)
    {
        int best = 0;
        double bestDistance = double.PositiveInfinity;
        for (int k = 0; k < Modes; k++)
        {
            var (cx, cy) = Centre(k);
            double d = (x - cx) * (x - cx) + (y - cy) * (y - cy);
            if (d < bestDistance) { bestDistance = d; best = k; }
        }
        return best;
    }

    /// <inheritdoc/>
    public override void Program()
    {
        var z = Sample("z", new ImproperUniform(Constraints.Real, [], [2]));
        var centres = new double[Modes * 2];
        for (int k = 0; k < Modes; k++) (centres[2 * k], centres[2 * k + 1]) = Centre(k);
        var c = Tensor.FromArray(centres, Modes, 2);
        // [..., 1, 2] − [K, 2] → [..., K, 2]
        var squared = (z.Unsqueeze(-2) - c).Square().Sum(-1);
        double logNormalizer = -Math.Log(Modes) - Math.Log(2 * Math.PI * Scale * Scale);
        Factor("ring", (squared * (-0.5 / (Scale * Scale))).LogSumExp(-1) + logNormalizer);
    }

    /// <inheritdoc/>
    public override double[] DrawExact(RandomKey key, int count)
    {
        var z = new double[count * 2];
        Vinfer.Random.Sample.Normal(key.Child(0), 0, Scale, z);
        var u = new double[count];
        Vinfer.Random.Sample.Uniform(key.Child(1), u);
        for (int i = 0; i < count; i++)
        {
            int k = Math.Min((int)(u[i] * Modes), Modes - 1);
            var (cx, cy) = Centre(k);
            z[2 * i] += cx;
            z[2 * i + 1] += cy;
        }
        return z;
    }
}
