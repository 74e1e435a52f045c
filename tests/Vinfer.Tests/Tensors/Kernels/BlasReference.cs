namespace Vinfer.Tests.Tensors.Kernels;

/// <summary>Naive reference products (textbook triple loop) and random operands for the BLAS tests.</summary>
internal static class BlasReference
{
    /// <summary>C = alpha·op(A)·op(B) + beta·C by the definition; beta = 0 ignores the old C.</summary>
    public static void Gemm(bool transA, bool transB, int m, int n, int k, double alpha,
        double[] a, int lda, double[] b, int ldb, double beta, double[] c, int ldc)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                    s += (transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]);
                c[i * ldc + j] = alpha * s + (beta == 0 ? 0 : beta * c[i * ldc + j]);
            }
    }

    /// <summary>y = alpha·op(A)·x + beta·y for a row-major m×n A.</summary>
    public static void Gemv(bool transA, int m, int n, double alpha, double[] a, int lda, double[] x, double beta, double[] y)
    {
        int outLen = transA ? n : m, inLen = transA ? m : n;
        for (int o = 0; o < outLen; o++)
        {
            double s = 0;
            for (int p = 0; p < inLen; p++) s += (transA ? a[p * lda + o] : a[o * lda + p]) * x[p];
            y[o] = alpha * s + (beta == 0 ? 0 : beta * y[o]);
        }
    }

    /// <summary>Uniform(−1, 1) values from a fixed seed.</summary>
    public static double[] Random(int length, int seed)
    {
        var rng = new System.Random(seed);
        var v = new double[length];
        for (int i = 0; i < v.Length; i++) v[i] = 2 * rng.NextDouble() - 1;
        return v;
    }

    /// <summary>
    /// Asserts |actual − expected| ≤ tol elementwise over the m×n block. Each entry is a sum of k products of numbers
    /// in (−1, 1), so reordering the sum moves it by at most about k·2⁻⁵² per term magnitude: 8·k·ε·(|alpha| + |beta| + 1)
    /// bounds the difference between two correctly rounded summation orders with room to spare.
    /// </summary>
    public static void AssertClose(double[] expected, double[] actual, int m, int n, int ld, int k, double alpha, double beta, string what)
    {
        double tol = 8 * (k + 2) * 2.220446049250313e-16 * (Math.Abs(alpha) + Math.Abs(beta) + 1);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double e = expected[i * ld + j], g = actual[i * ld + j];
                if (!(Math.Abs(e - g) <= tol))
                    Assert.Fail($"{what}: C[{i},{j}] = {g:R}, expected {e:R} (|diff| {Math.Abs(e - g):E2} > tol {tol:E2})");
            }
        // Padding between rows (ld > n) must be untouched.
        for (int i = 0; i < m; i++)
            for (int j = n; j < ld && i * ld + j < actual.Length; j++)
                Assert.True(expected[i * ld + j].Equals(actual[i * ld + j]), $"{what}: padding C[{i},{j}] was written");
    }
}
