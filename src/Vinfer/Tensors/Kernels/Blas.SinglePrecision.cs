namespace Vinfer.Tensors.Kernels;

// float32 GEMM (SGEMM), for the float32 precision of the network layers (Vinfer.Nn.Precision.Float32).
public static partial class Blas
{
    /// <summary>
    /// C = alpha·op(A)·op(B) + beta·C in float32 (SGEMM), same storage conventions as the float64
    /// <see cref="Gemm(bool, bool, int, int, int, double, ReadOnlySpan{double}, int, ReadOnlySpan{double}, int, double, Span{double}, int)"/>.
    /// Runs OpenBLAS's <c>cblas_sgemm</c> when the OpenBLAS backend is selected (automatic with the library present,
    /// or <c>VINFER_BLAS=openblas</c>); otherwise (<c>VINFER_BLAS=managed</c>, or no OpenBLAS) the operands are widened
    /// to float64, multiplied by the managed kernel and the result rounded once to float32, which is at least as accurate
    /// as SGEMM and deterministic across thread counts, at float64 speed.
    /// </summary>
    /// <param name="transA">Use Aᵀ: A is stored k×m (lda ≥ m) instead of m×k (lda ≥ k).</param>
    /// <param name="transB">Use Bᵀ: B is stored n×k (ldb ≥ k) instead of k×n (ldb ≥ n).</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A as stored.</param>
    /// <param name="lda">Leading dimension of A as stored.</param>
    /// <param name="b">B as stored.</param>
    /// <param name="ldb">Leading dimension of B as stored.</param>
    /// <param name="beta">Scale of the old C; 0 means C is write-only.</param>
    /// <param name="c">C, m×n, overwritten.</param>
    /// <param name="ldc">Leading dimension of C (≥ n).</param>
    public static void Gemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        ValidateGemm("Blas.Gemm (float32)", transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        if (m == 0 || n == 0) return;
        bool native = Selection.Value.Backend == BlasBackend.OpenBlas && OpenBlasLibrary.HasSingle;
        GemmUnchecked(native ? BlasBackend.OpenBlas : BlasBackend.Managed, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, MaxThreads);
    }

    /// <summary>float32 GEMM on a named backend, arguments already validated (tests compare the two with it).</summary>
    internal static void GemmUnchecked(BlasBackend backend, bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc, int maxThreads)
    {
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            // C = beta·C (beta = 0 does not read C)
            for (int i = 0; i < m; i++)
            {
                var row = c.Slice(i * ldc, n);
                if (beta == 0f) row.Clear();
                else for (int j = 0; j < n; j++) row[j] *= beta;
            }
            return;
        }
        if (backend == BlasBackend.OpenBlas)
        {
            OpenBlasLibrary.Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }
        int lengthA = (int)BlasArguments.RequiredLength(transA ? k : m, transA ? m : k, lda);
        int lengthB = (int)BlasArguments.RequiredLength(transB ? n : k, transB ? k : n, ldb);
        int lengthC = (int)BlasArguments.RequiredLength(m, n, ldc);
        var pool = System.Buffers.ArrayPool<double>.Shared;
        double[] wa = pool.Rent(lengthA), wb = pool.Rent(lengthB), wc = pool.Rent(lengthC);
        try
        {
            SingleKernels.Widen(a[..lengthA], wa.AsSpan(0, lengthA));
            SingleKernels.Widen(b[..lengthB], wb.AsSpan(0, lengthB));
            if (beta != 0f) SingleKernels.Widen(c[..lengthC], wc.AsSpan(0, lengthC));
            ManagedGemm.Gemm(transA, transB, m, n, k, alpha, wa.AsSpan(0, lengthA), lda, wb.AsSpan(0, lengthB), ldb, beta, wc.AsSpan(0, lengthC), ldc, maxThreads);
            for (int i = 0; i < m; i++) SingleKernels.Narrow(wc.AsSpan(i * ldc, n), c.Slice(i * ldc, n));
        }
        finally
        {
            pool.Return(wa); pool.Return(wb); pool.Return(wc);
        }
    }
}
