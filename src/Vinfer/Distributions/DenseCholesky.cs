namespace Vinfer.Distributions;

/// <summary>
/// Small dense Cholesky helpers over spans (Golub and Van Loan, Matrix Computations, 4th ed., alg. 4.2.1), for
/// validation and for the MVN family until tensor ops exist.
/// </summary>
internal static class DenseCholesky
{
    /// <summary>Factors the symmetric n×n matrix a = L Lᵀ into <paramref name="lower"/>; false when not positive definite.</summary>
    public static bool TryFactor(ReadOnlySpan<double> a, int n, Span<double> lower)
    {
        lower[..(n * n)].Clear();
        for (int j = 0; j < n; j++)
        {
            double d = a[j * n + j];
            for (int k = 0; k < j; k++) d -= lower[j * n + k] * lower[j * n + k];
            if (!(d > 0) || !double.IsFinite(d)) return false;
            double ljj = Math.Sqrt(d);
            lower[j * n + j] = ljj;
            for (int i = j + 1; i < n; i++)
            {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) s -= lower[i * n + k] * lower[j * n + k];
                lower[i * n + j] = s / ljj;
            }
        }
        return true;
    }
}
