using Vinfer.Tensors;

namespace Vinfer.Inference;

/// <summary>
/// The Gaussian (RBF) kernel k(x, y) = exp(−|x − y|²/h) of Liu and Wang (NeurIPS 2016, §5), with the median
/// heuristic h = med²/log n (med the median pairwise distance) so that Σⱼ k(xᵢ, xⱼ) ≈ n·n^{−1} = 1 for a typical
/// particle, balancing the driving and repulsive terms; or a fixed bandwidth h.
/// </summary>
public sealed class RbfSteinKernel : SteinKernel
{
    /// <summary>An RBF kernel; <paramref name="bandwidth"/> null uses the median heuristic at every step.</summary>
    public RbfSteinKernel(double? bandwidth = null)
    {
        if (bandwidth is { } h && !(h > 0 && double.IsFinite(h)))
            throw new ArgumentOutOfRangeException(nameof(bandwidth), $"RbfSteinKernel: the bandwidth must be positive and finite, got {h}.");
        Bandwidth = bandwidth;
    }

    /// <summary>The fixed bandwidth h, or null for the median heuristic.</summary>
    public double? Bandwidth { get; }

    /// <inheritdoc/>
    public override string Name => "rbf";

    /// <summary>The bandwidth used for particles with these squared distances.</summary>
    public double BandwidthFor(Tensor squaredDistances, int particles)
    {
        if (Bandwidth is { } h) return h;
        double med = MedianSquaredDistance(squaredDistances, particles);
        double heuristic = med / Math.Log(particles);
        return heuristic > 0 && double.IsFinite(heuristic) ? heuristic : 1.0;
    }

    /// <inheritdoc/>
    protected override (Tensor Kernel, Tensor Repulsion) Matrices(Tensor squaredDistances, int particles)
    {
        double h = BandwidthFor(squaredDistances, particles);
        var k = (squaredDistances * (-1.0 / h)).Exp();
        // ∂k/∂r = −k/h, so M = 2k/h
        return (k, k * (2.0 / h));
    }
}
