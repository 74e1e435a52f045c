namespace Vinfer.Tensors.Kernels;

/// <summary>
/// Thin QR factorization by Householder reflections (Golub &amp; Van Loan, "Matrix Computations", 4th ed., Algorithm
/// 5.2.1) of an n×k row-major matrix A: A = Q R with Q n×r having orthonormal columns and R r×k upper trapezoidal,
/// r = min(n, k). Backward stable, also for rank-deficient A (R then has zeros on its diagonal).
/// </summary>
public static class HouseholderQr
{
    /// <summary>Factors <paramref name="a"/> (n×k, row-major; left unchanged); returns Q (n×r) and R (r×k), both row-major.</summary>
    public static (double[] Q, double[] R) Factor(ReadOnlySpan<double> a, int n, int k)
    {
        if (n < 1 || k < 1 || a.Length != n * k)
            throw new ArgumentException($"HouseholderQr.Factor: expected an n×k matrix with n, k ≥ 1, got {a.Length} entries for {n}×{k}.", nameof(a));
        int r = Math.Min(n, k);
        var w = a.ToArray();
        var reflectors = new double[r][];
        for (int j = 0; j < r; j++)
        {
            // v = x + sign(x₀)‖x‖e₀ on rows j.., so that H x = −sign(x₀)‖x‖ e₀ without cancellation
            double norm = 0;
            for (int i = j; i < n; i++) norm += w[i * k + j] * w[i * k + j];
            norm = Math.Sqrt(norm);
            var v = new double[n - j];
            for (int i = j; i < n; i++) v[i - j] = w[i * k + j];
            double alpha = v[0] >= 0 ? -norm : norm;
            v[0] -= alpha;
            double vv = 0;
            foreach (double x in v) vv += x * x;
            if (vv > 0)
            {
                for (int c = j; c < k; c++)
                {
                    double dot = 0;
                    for (int i = j; i < n; i++) dot += v[i - j] * w[i * k + c];
                    double f = 2 * dot / vv;
                    for (int i = j; i < n; i++) w[i * k + c] -= f * v[i - j];
                }
                double scale = Math.Sqrt(vv);
                for (int i = 0; i < v.Length; i++) v[i] /= scale;
            }
            reflectors[j] = v;
        }
        var rMatrix = new double[r * k];
        for (int i = 0; i < r; i++)
            for (int c = i; c < k; c++) rMatrix[i * k + c] = w[i * k + c];
        // Q = H₀ H₁ … H_{r−1} applied to the first r columns of the identity, last reflector first
        var q = new double[n * r];
        for (int i = 0; i < r; i++) q[i * r + i] = 1;
        for (int j = r - 1; j >= 0; j--)
        {
            var v = reflectors[j];
            for (int c = 0; c < r; c++)
            {
                double dot = 0;
                for (int i = j; i < n; i++) dot += v[i - j] * q[i * r + c];
                for (int i = j; i < n; i++) q[i * r + c] -= 2 * dot * v[i - j];
            }
        }
        return (q, rMatrix);
    }
}
