using Vinfer.Tensors.Kernels;

namespace Vinfer.Conjugate;

/// <summary>
/// The log-density of a finite Gaussian mixture with given weights, means and covariances, through Cholesky factors
/// and a stable log-sum-exp: the score of a fitted mixture and of the true one that generated test data.
/// </summary>
public static class GaussianMixtureDensity
{
    /// <summary>(1/N) Σ_n log Σ_k w_k N(x_n | μ_k, Σ_k), points row-major (N×d), means K×d, covariances K×d×d.</summary>
    public static double MeanLogDensity(ReadOnlySpan<double> points, int dimension, ReadOnlySpan<double> weights, ReadOnlySpan<double> means, ReadOnlySpan<double> covariances)
    {
        int d = dimension, k = weights.Length;
        if (d < 1 || points.Length % d != 0 || points.Length == 0) throw new ArgumentException($"{points.Length} values do not make points of dimension {d}.", nameof(points));
        if (means.Length != k * d || covariances.Length != k * d * d) throw new ArgumentException($"means ({means.Length}) and covariances ({covariances.Length}) do not match K = {k}, d = {d}.", nameof(means));
        var factors = new double[k * d * d];
        var constants = new double[k];
        for (int c = 0; c < k; c++)
        {
            var f = factors.AsSpan(c * d * d, d * d);
            covariances.Slice(c * d * d, d * d).CopyTo(f);
            if (!Cholesky.TryFactorLower(f, d)) throw new ArgumentException($"covariance {c} is not positive definite.", nameof(covariances));
            constants[c] = Math.Log(weights[c]) - 0.5 * d * Math.Log(2 * Math.PI) - 0.5 * Cholesky.LogDeterminant(f, d);
        }
        int n = points.Length / d;
        var diff = new double[d]; var work = new double[d]; var terms = new double[k];
        double total = 0;
        for (int r = 0; r < n; r++)
        {
            double max = double.NegativeInfinity;
            for (int c = 0; c < k; c++)
            {
                for (int i = 0; i < d; i++) diff[i] = points[r * d + i] - means[c * d + i];
                terms[c] = constants[c] - 0.5 * Cholesky.MahalanobisSquared(factors.AsSpan(c * d * d, d * d), d, diff, work);
                max = Math.Max(max, terms[c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) sum += Math.Exp(terms[c] - max);
            total += max + Math.Log(sum);
        }
        return total / n;
    }
}
