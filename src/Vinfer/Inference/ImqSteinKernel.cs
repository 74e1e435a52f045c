using Vinfer.Tensors;

namespace Vinfer.Inference;

/// <summary>
/// The inverse multiquadric kernel k(x, y) = (1 + |x − y|²/h)^(−1/2) (Gorham and Mackey, "Measuring Sample Quality
/// with Kernels", ICML 2017, where its Stein discrepancy is shown to detect non-convergence; Pyro's
/// <c>IMQSteinKernel</c>). Its heavy tails keep distant particles interacting, which helps spread over separated
/// modes. h is the median squared pairwise distance at every step (scale-free), or fixed.
/// </summary>
public sealed class ImqSteinKernel : SteinKernel
{
    /// <summary>An IMQ kernel; <paramref name="bandwidth"/> null uses the median squared distance at every step.</summary>
    public ImqSteinKernel(double? bandwidth = null)
    {
        if (bandwidth is { } h && !(h > 0 && double.IsFinite(h)))
            throw new ArgumentOutOfRangeException(nameof(bandwidth), $"ImqSteinKernel: the bandwidth must be positive and finite, got {h}.");
        Bandwidth = bandwidth;
    }

    /// <summary>The fixed bandwidth h, or null for the median heuristic.</summary>
    public double? Bandwidth { get; }

    /// <inheritdoc/>
    public override string Name => "imq";

    /// <inheritdoc/>
    protected override (Tensor Kernel, Tensor Repulsion) Matrices(Tensor squaredDistances, int particles)
    {
        double h = Bandwidth ?? MedianSquaredDistance(squaredDistances, particles);
        if (!(h > 0 && double.IsFinite(h))) h = 1.0;
        var b = squaredDistances * (1.0 / h) + 1.0;
        var k = b.Pow(-0.5);
        // ∂k/∂r = −(1/2h)·b^(−3/2), so M = b^(−3/2)/h
        return (k, b.Pow(-1.5) * (1.0 / h));
    }
}
