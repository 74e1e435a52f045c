using Vinfer.Tensors;

namespace Vinfer.Experiments.Posteriordb.Models;

/// <summary>
/// The squared-exponential covariance of the GP posteriors (Rasmussen &amp; Williams 2006, eq. 2.31):
/// K[i,j] = α² exp(−(xᵢ − xⱼ)² / (2ρ²)) + δᵢⱼ·diagonal, batched over particles ([N, N] or [S, N, N]).
/// </summary>
internal static class GaussianProcessKernel
{
    /// <summary>The matrix of −(xᵢ − xⱼ)²/2, fixed by the data.</summary>
    internal static Tensor HalfNegativeSquaredDistances(double[] x)
    {
        int n = x.Length;
        var d = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) d[i * n + j] = -0.5 * (x[i] - x[j]) * (x[i] - x[j]);
        return Tensor.FromArray(d, n, n);
    }

    /// <summary>K for scalar α, ρ ([] or [S]) and a diagonal term ([] or [S], or a constant).</summary>
    internal static Tensor Covariance(Tensor halfNegSq, Tensor alpha, Tensor rho, Tensor diagonal)
    {
        int n = halfNegSq.Dim(0);
        var a2 = alpha.Square().Unsqueeze(-1).Unsqueeze(-1);
        var invRho2 = rho.Square().Reciprocal().Unsqueeze(-1).Unsqueeze(-1);
        var identity = Tensor.Ones(n).DiagEmbed();
        return a2 * (halfNegSq * invRho2).Exp() + diagonal.Unsqueeze(-1).Unsqueeze(-1) * identity;
    }
}
