using Vinfer.Tensors;
using Vinfer.Tensors.Kernels;

namespace Vinfer.Inference;

/// <summary>
/// A positive-definite kernel k(x, y) for Stein variational gradient descent (Liu and Wang, "Stein Variational
/// Gradient Descent", NeurIPS 2016, eq. 8). For particles x₁…xₙ and scores sⱼ = ∇log p(xⱼ) it gives the update
/// direction φ(xᵢ) = (1/n) Σⱼ [k(xⱼ, xᵢ) sⱼ + ∇_{xⱼ} k(xⱼ, xᵢ)] for all particles at once: one pairwise-distance
/// matrix, one n×n by n×d product for the driving term and one for the repulsive term (no loop over pairs).
/// </summary>
public abstract class SteinKernel
{
    /// <summary>The kernel's name in messages and summaries.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// The Stein direction φ as an [n, d] tensor, for particles <paramref name="particles"/> [n, d] and scores
    /// <paramref name="scores"/> [n, d] (∇ log p at each particle). Not differentiable (a plain update).
    /// </summary>
    public Tensor Direction(Tensor particles, Tensor scores)
    {
        ArgumentNullException.ThrowIfNull(particles);
        ArgumentNullException.ThrowIfNull(scores);
        if (particles.Rank != 2 || scores.Rank != 2 || particles.Dim(0) != scores.Dim(0) || particles.Dim(1) != scores.Dim(1))
            throw new ArgumentException($"{Name}: particles and scores must both be [n, d], got {Shapes.Format(particles.ShapeArray)} and {Shapes.Format(scores.ShapeArray)}.");
        int n = particles.Dim(0);
        using var _ = GradMode.Disable();
        var x = particles.Detach();
        var squaredDistances = SquaredDistances(x);
        var (k, m) = Matrices(squaredDistances, n);
        // Σⱼ ∇_{xⱼ} k(xⱼ, xᵢ) = Σⱼ mᵢⱼ (xᵢ − xⱼ) for a radial kernel with k'(r) = −mᵢⱼ/2 in r = |x − y|²
        var repulsion = x * m.Sum(1, keepDim: true) - m.MatMul(x);
        return (k.MatMul(scores.Detach()) + repulsion) * (1.0 / n);
    }

    /// <summary>
    /// The kernel matrix K (Kᵢⱼ = k(xᵢ, xⱼ)) and the matrix M with Σⱼ ∇_{xⱼ} k(xⱼ, xᵢ) = Σⱼ Mᵢⱼ (xᵢ − xⱼ), i.e.
    /// Mᵢⱼ = −2 ∂k/∂r at r = |xᵢ − xⱼ|², from the squared distances <paramref name="squaredDistances"/> [n, n].
    /// </summary>
    protected abstract (Tensor Kernel, Tensor Repulsion) Matrices(Tensor squaredDistances, int particles);

    /// <summary>|xᵢ − xⱼ|² for all pairs, as |xᵢ|² + |xⱼ|² − 2 xᵢ·xⱼ (one GEMM), clamped at 0 against rounding.</summary>
    internal static Tensor SquaredDistances(Tensor x)
    {
        var norms = x.Square().Sum(1, keepDim: true);
        var d = norms + norms.Transpose(0, 1) - 2.0 * x.MatMul(x.Transpose(0, 1));
        d = d.Clamp(min: 0);
        var s = d.Span;
        int n = x.Dim(0);
        for (int i = 0; i < n; i++) s[i * n + i] = 0;
        return d;
    }

    /// <summary>The median of the off-diagonal squared distances (0 when all particles coincide).</summary>
    internal static double MedianSquaredDistance(Tensor squaredDistances, int n)
    {
        var s = squaredDistances.Span;
        var pairs = new double[n * (n - 1) / 2];
        int p = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) pairs[p++] = s[i * n + j];
        if (pairs.Length == 0) return 0;
        Array.Sort(pairs);
        int mid = pairs.Length / 2;
        return pairs.Length % 2 == 1 ? pairs[mid] : 0.5 * (pairs[mid - 1] + pairs[mid]);
    }
}
