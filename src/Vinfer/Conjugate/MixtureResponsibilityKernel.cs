using System.Numerics.Tensors;
using Vinfer.Tensors;
using Vinfer.Tensors.Kernels;

namespace Vinfer.Conjugate;

/// <summary>
/// The E-step of a conjugate Gaussian mixture as dense kernels. Every expected log-density E[log N(x | μ_k, Λ_k)] +
/// E[log π_k] is linear in the features φ(x) = (x_i x_j for i ≤ j (full) or x_i² (diagonal), x, 1), so the N×K log
/// responsibilities are one GEMM Φ Cᵀ with the K×P coefficient matrix C; rows are normalized by a stable
/// log-sum-exp; and the expected sufficient statistics of the M-step are a second GEMM Rᵀ Φ (K×P: counts, first and
/// second moments at once). Rows go in blocks (Φ is never stored whole), blocks run on all cores, and each block's
/// statistics are kept apart and summed in block order, so results do not depend on the number of threads.
/// </summary>
internal static class MixtureResponsibilityKernel
{
    /// <summary>P, the number of features for dimension d.</summary>
    public static int FeatureCount(int dimension, CovarianceKind covariance) => covariance == CovarianceKind.Full
        ? dimension * (dimension + 1) / 2 + dimension + 1
        : 2 * dimension + 1;

    /// <summary>Writes φ(x) for the rows of <paramref name="rows"/> (n×d) into <paramref name="features"/> (n×P).</summary>
    public static void Features(ReadOnlySpan<double> rows, int count, int d, CovarianceKind covariance, Span<double> features)
    {
        int p = FeatureCount(d, covariance);
        for (int n = 0; n < count; n++)
        {
            var x = rows.Slice(n * d, d);
            var f = features.Slice(n * p, p);
            int c = 0;
            if (covariance == CovarianceKind.Full)
            {
                for (int i = 0; i < d; i++)
                    for (int j = i; j < d; j++) f[c++] = x[i] * x[j];
            }
            else
            {
                for (int i = 0; i < d; i++) f[c++] = x[i] * x[i];
            }
            x.CopyTo(f.Slice(c, d));
            f[c + d] = 1;
        }
    }

    /// <summary>The result of one pass: Σ_n r_nk φ(x_n) (K×P) and Σ_n H(r_n), the entropy of the assignments.</summary>
    public readonly record struct PassResult(double[] Statistics, double Entropy);

    /// <summary>
    /// One pass over <paramref name="count"/> rows of <paramref name="data"/> (n×d, or the rows listed in
    /// <paramref name="indices"/> when it is not empty): responsibilities from the coefficients (K×P), their
    /// statistics and entropy. With <paramref name="assignments"/>, also writes each row's most probable component.
    /// </summary>
    public static PassResult Run(double[] data, int[]? indices, int count, int d, CovarianceKind covariance,
        double[] coefficients, int components, int blockRows, Span<int> assignments = default)
    {
        int p = FeatureCount(d, covariance), k = components;
        int blocks = (count + blockRows - 1) / blockRows;
        var blockStatistics = new double[blocks * k * p];
        var blockEntropy = new double[blocks];
        double[] dataArray = data;
        int[]? indexArray = indices;
        int[]? assignmentArray = assignments.IsEmpty ? null : new int[count];
        int workers = Math.Max(1, Math.Min(Blas.MaxThreads, blocks));
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            var rows = new double[blockRows * d];
            var features = new double[blockRows * p];
            var logits = new double[blockRows * k];
            var shifted = new double[blockRows * k];
            for (int b = w; b < blocks; b += workers)
            {
                int start = b * blockRows, n = Math.Min(blockRows, count - start);
                if (indexArray is null) Array.Copy(dataArray, start * d, rows, 0, n * d);
                else for (int r = 0; r < n; r++) Array.Copy(dataArray, indexArray[start + r] * d, rows, r * d, d);
                Features(rows, n, d, covariance, features);
                Blas.GemmUnchecked(BlasBackend.Managed, false, true, n, k, p, 1.0, features, p, coefficients, p, 0.0, logits, k, 1);
                // Shift each row by its maximum, exponentiate the whole block in one vectorized call, normalize.
                // H(r) = log Σ exp(s) − Σ r s with s = ℓ − max ℓ.
                for (int r = 0; r < n; r++)
                {
                    var row = logits.AsSpan(r * k, k);
                    int best = 0;
                    double max = row[0];
                    for (int c = 1; c < k; c++) if (row[c] > max) { max = row[c]; best = c; }
                    for (int c = 0; c < k; c++) row[c] -= max;
                    if (assignmentArray is not null) assignmentArray[start + r] = best;
                }
                logits.AsSpan(0, n * k).CopyTo(shifted);
                TensorPrimitives.Exp(logits.AsSpan(0, n * k), logits.AsSpan(0, n * k));
                double entropy = 0;
                for (int r = 0; r < n; r++)
                {
                    var row = logits.AsSpan(r * k, k);
                    var shift = shifted.AsSpan(r * k, k);
                    double sum = TensorPrimitives.Sum<double>(row);
                    TensorPrimitives.Multiply(row, 1 / sum, row);
                    entropy += Math.Log(sum) - TensorPrimitives.Dot<double>(row, shift);
                }
                blockEntropy[b] = entropy;
                Blas.GemmUnchecked(BlasBackend.Managed, true, false, k, p, n, 1.0, logits, k, features, p, 0.0, blockStatistics.AsSpan(b * k * p, k * p), p, 1);
            }
        });
        var statistics = new double[k * p];
        double total = 0;
        for (int b = 0; b < blocks; b++)
        {
            var s = blockStatistics.AsSpan(b * k * p, k * p);
            for (int i = 0; i < s.Length; i++) statistics[i] += s[i];
            total += blockEntropy[b];
        }
        assignmentArray?.CopyTo(assignments);
        return new PassResult(statistics, total);
    }
}
