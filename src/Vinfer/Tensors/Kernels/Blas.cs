namespace Vinfer.Tensors.Kernels;

/// <summary>
/// Dense float64 matrix products on row-major spans, in the shape of the BLAS routines DGEMM and DGEMV
/// (Dongarra et al., "A set of level 3 basic linear algebra subprograms", ACM TOMS 16(1), 1990).
/// <para>
/// Storage: a row-major matrix with r rows and c columns and leading dimension ld ≥ max(1, c) keeps element (i, j)
/// at index i·ld + j, and its span needs at least (r − 1)·ld + c elements. op(X) is X or Xᵀ; a transposed operand is
/// passed as it is stored, e.g. for op(A) = Aᵀ of shape m×k, A is stored k×m with lda ≥ m.
/// </para>
/// <para>
/// Backends: the managed kernel (cache-blocked, AVX-512/AVX2 FMA micro-kernel, multi-threaded, bit-identical for any
/// thread count) or the system OpenBLAS when Debian's <c>libopenblas0</c> is installed. The environment variable
/// <c>VINFER_BLAS</c> chooses: <c>managed</c> always uses the managed kernel; <c>openblas</c> sends every call to
/// OpenBLAS and fails with a clear error when the library is missing; unset (or <c>auto</c>) uses OpenBLAS when it is
/// present for products large enough that the native call pays off, and the managed kernel otherwise.
/// </para>
/// Outputs must not overlap inputs. With beta = 0 the output is not read (NaN in it does not propagate).
/// </summary>
public static partial class Blas
{
    /// <summary>In automatic mode GEMM goes to OpenBLAS from this many multiply-adds (m·n·k) on.</summary>
    internal const long OpenBlasMinGemmProduct = 48L * 48 * 48;

    /// <summary>In automatic mode GEMV goes to OpenBLAS from this many multiply-adds (m·n) on.</summary>
    internal const long OpenBlasMinGemvProduct = 64L * 64;

    private static readonly Lazy<(BlasBackend Backend, bool Forced)> Selection =
        new(() => ResolveBackend(Environment.GetEnvironmentVariable("VINFER_BLAS"), OpenBlasLibrary.IsAvailable),
            LazyThreadSafetyMode.ExecutionAndPublication);

    private static volatile int s_maxThreads = Environment.ProcessorCount;

    /// <summary>
    /// The backend that carries large products: <see cref="BlasBackend.OpenBlas"/> when the library is loaded
    /// (or forced with <c>VINFER_BLAS=openblas</c>), otherwise <see cref="BlasBackend.Managed"/>.
    /// Throws <see cref="InvalidOperationException"/> when <c>VINFER_BLAS</c> asks for something unavailable or unknown.
    /// </summary>
    public static BlasBackend Backend => Selection.Value.Backend;

    /// <summary>True when the system OpenBLAS was found and loaded.</summary>
    public static bool IsOpenBlasAvailable => OpenBlasLibrary.IsAvailable;

    /// <summary>Where OpenBLAS was loaded from, or null when it is absent.</summary>
    public static string? OpenBlasPath => OpenBlasLibrary.LoadedFrom;

    /// <summary>The number of threads OpenBLAS uses (its own setting; 0 when absent).</summary>
    public static int OpenBlasThreads => OpenBlasLibrary.Threads;

    /// <summary>
    /// The most threads the managed kernels use, 1 … <see cref="Environment.ProcessorCount"/> (default: all).
    /// Results do not depend on it.
    /// </summary>
    public static int MaxThreads
    {
        get => s_maxThreads;
        set => s_maxThreads = value is >= 1 ? Math.Min(value, Environment.ProcessorCount)
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"Blas.MaxThreads must be >= 1, got {value}.");
    }

    /// <summary>
    /// Parses <c>VINFER_BLAS</c>: null/empty/<c>auto</c> picks OpenBLAS when available, <c>managed</c> or <c>openblas</c>
    /// force one (Forced = true), anything else is an error.
    /// </summary>
    internal static (BlasBackend Backend, bool Forced) ResolveBackend(string? setting, bool openBlasAvailable)
    {
        switch (setting?.Trim().ToLowerInvariant())
        {
            case null or "" or "auto":
                return (openBlasAvailable ? BlasBackend.OpenBlas : BlasBackend.Managed, false);
            case "managed":
                return (BlasBackend.Managed, true);
            case "openblas":
                if (!openBlasAvailable)
                    throw new InvalidOperationException(
                        "VINFER_BLAS=openblas but OpenBLAS is not available: libopenblas.so.0 was not found in the library path " +
                        "or /usr/lib/x86_64-linux-gnu/openblas-pthread/ (install Debian's libopenblas0, or unset VINFER_BLAS).");
                return (BlasBackend.OpenBlas, true);
            default:
                throw new InvalidOperationException($"VINFER_BLAS = '{setting}' is not recognised; use managed, openblas or auto.");
        }
    }

    /// <summary>
    /// C = alpha·op(A)·op(B) + beta·C, with op(A) m×k, op(B) k×n and C m×n, all row-major.
    /// </summary>
    /// <param name="transA">Use Aᵀ: A is stored k×m (lda ≥ m) instead of m×k (lda ≥ k).</param>
    /// <param name="transB">Use Bᵀ: B is stored n×k (ldb ≥ k) instead of k×n (ldb ≥ n).</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A as stored.</param>
    /// <param name="lda">Leading dimension (row stride) of A as stored.</param>
    /// <param name="b">B as stored.</param>
    /// <param name="ldb">Leading dimension of B as stored.</param>
    /// <param name="beta">Scale of the old C; 0 means C is write-only.</param>
    /// <param name="c">C, m×n, overwritten.</param>
    /// <param name="ldc">Leading dimension of C (≥ n).</param>
    public static void Gemm(bool transA, bool transB, int m, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc)
    {
        ValidateGemm("Blas.Gemm", transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        var (backend, forced) = Selection.Value;
        bool native = backend == BlasBackend.OpenBlas && (forced || (long)m * n * k >= OpenBlasMinGemmProduct);
        GemmUnchecked(native ? BlasBackend.OpenBlas : BlasBackend.Managed,
            transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, MaxThreads);
    }

    /// <summary>
    /// y = alpha·op(A)·x + beta·y for a row-major m×n matrix A: with op(A) = A, x has length n and y length m;
    /// with op(A) = Aᵀ, x has length m and y length n. Vectors are contiguous.
    /// </summary>
    /// <param name="transA">Use Aᵀ.</param>
    /// <param name="m">Rows of A as stored.</param>
    /// <param name="n">Columns of A as stored.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A, m×n row-major.</param>
    /// <param name="lda">Leading dimension of A (≥ n).</param>
    /// <param name="x">The input vector.</param>
    /// <param name="beta">Scale of the old y; 0 means y is write-only.</param>
    /// <param name="y">The output vector, overwritten.</param>
    public static void Gemv(bool transA, int m, int n, double alpha, ReadOnlySpan<double> a, int lda,
        ReadOnlySpan<double> x, double beta, Span<double> y)
    {
        const string F = "Blas.Gemv";
        BlasArguments.Dimension(F, nameof(m), m);
        BlasArguments.Dimension(F, nameof(n), n);
        var note = new ShapeNote(m, n, 0, transA, false, Gemv: true);
        BlasArguments.Matrix(F, nameof(a), nameof(lda), m, n, lda, a.Length, note);
        BlasArguments.Vector(F, nameof(x), x.Length, transA ? m : n, note);
        BlasArguments.Vector(F, nameof(y), y.Length, transA ? n : m, note);
        BlasArguments.NoOverlap(F, nameof(y), y, nameof(a), a);
        BlasArguments.NoOverlap(F, nameof(y), y, nameof(x), x);

        var (backend, forced) = Selection.Value;
        bool native = backend == BlasBackend.OpenBlas && (forced || (long)m * n >= OpenBlasMinGemvProduct);
        GemvUnchecked(native ? BlasBackend.OpenBlas : BlasBackend.Managed, transA, m, n, alpha, a, lda, x, beta, y, MaxThreads);
    }

    /// <summary>
    /// A batch of GEMMs, C_t = alpha·op(A_t)·op(B_t) + beta·C_t for t = 0 … batchCount − 1, where operand t starts at
    /// t·stride in its span (stride 0 for A or B reuses one matrix for every item, e.g. a shared weight matrix).
    /// Other arguments are as in <see cref="Gemm(bool, bool, int, int, int, double, ReadOnlySpan{double}, int, ReadOnlySpan{double}, int, double, Span{double}, int)"/>; each item must fit inside its stride.
    /// </summary>
    public static void GemmBatched(bool transA, bool transB, int m, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, long strideA, ReadOnlySpan<double> b, int ldb, long strideB,
        double beta, Span<double> c, int ldc, long strideC, int batchCount)
    {
        const string F = "Blas.GemmBatched";
        BlasArguments.Dimension(F, nameof(batchCount), batchCount);
        BlasArguments.Dimension(F, nameof(m), m);
        BlasArguments.Dimension(F, nameof(n), n);
        BlasArguments.Dimension(F, nameof(k), k);
        if (batchCount == 0) return;
        long itemA = BlasArguments.RequiredLength(transA ? k : m, transA ? m : k, lda);
        long itemB = BlasArguments.RequiredLength(transB ? n : k, transB ? k : n, ldb);
        long itemC = BlasArguments.RequiredLength(m, n, ldc);
        BlasArguments.Stride(F, nameof(strideA), strideA, itemA, mayBeZero: true);
        BlasArguments.Stride(F, nameof(strideB), strideB, itemB, mayBeZero: true);
        BlasArguments.Stride(F, nameof(strideC), strideC, itemC, mayBeZero: batchCount == 1);
        CheckBatchLength(F, nameof(a), a.Length, strideA, itemA, batchCount);
        CheckBatchLength(F, nameof(b), b.Length, strideB, itemB, batchCount);
        CheckBatchLength(F, nameof(c), c.Length, strideC, itemC, batchCount);
        ValidateGemm(F, transA, transB, m, n, k, a[..(int)itemA], lda, b[..(int)itemB], ldb, c[..(int)itemC], ldc);
        BlasArguments.NoOverlap(F, nameof(c), c, nameof(a), a);
        BlasArguments.NoOverlap(F, nameof(c), c, nameof(b), b);

        var (backend, forced) = Selection.Value;
        long product = (long)m * n * k;
        bool native = backend == BlasBackend.OpenBlas && (forced || product >= OpenBlasMinGemmProduct);
        if (!native && product <= ManagedGemm.SmallProductThreshold && batchCount > 1
            && 2 * product * batchCount >= 2 * ManagedGemm.MinFlopsPerThread && MaxThreads > 1)
        {
            ManagedBatchParallel(transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC, batchCount, MaxThreads);
            return;
        }

        for (int t = 0; t < batchCount; t++)
        {
            GemmUnchecked(native ? BlasBackend.OpenBlas : BlasBackend.Managed, transA, transB, m, n, k, alpha,
                a.Slice((int)(t * strideA), (int)itemA), lda, b.Slice((int)(t * strideB), (int)itemB), ldb,
                beta, c.Slice((int)(t * strideC), (int)itemC), ldc, MaxThreads);
        }
    }

    /// <summary>Small batch items on the managed kernel: items split across threads, each computed single-threaded.</summary>
    private static unsafe void ManagedBatchParallel(bool transA, bool transB, int m, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, long strideA, ReadOnlySpan<double> b, int ldb, long strideB,
        double beta, Span<double> c, int ldc, long strideC, int batchCount, int threads)
    {
        int itemA = (int)BlasArguments.RequiredLength(transA ? k : m, transA ? m : k, lda);
        int itemB = (int)BlasArguments.RequiredLength(transB ? n : k, transB ? k : n, ldb);
        int itemC = (int)BlasArguments.RequiredLength(m, n, ldc);
        threads = Math.Min(threads, batchCount);
        fixed (double* pa = a)
        fixed (double* pb = b)
        fixed (double* pc = c)
        {
            nint ia = (nint)pa, ib = (nint)pb, ic = (nint)pc;
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, part =>
            {
                int t0 = (int)((long)batchCount * part / threads), t1 = (int)((long)batchCount * (part + 1) / threads);
                for (int t = t0; t < t1; t++)
                    ManagedGemm.Gemm(transA, transB, m, n, k, alpha,
                        new ReadOnlySpan<double>((double*)ia + t * strideA, itemA), lda,
                        new ReadOnlySpan<double>((double*)ib + t * strideB, itemB), ldb,
                        beta, new Span<double>((double*)ic + t * strideC, itemC), ldc, maxThreads: 1);
            });
        }
    }

    private static void CheckBatchLength(string function, string name, int length, long stride, long item, int batchCount)
    {
        long need = item == 0 ? 0 : (batchCount - 1) * stride + item;
        if (length < need)
            throw new ArgumentException(
                $"{function}: {name} has length {length} but {batchCount} items of {item} elements at stride {stride} need at least {need}.", name);
    }

    private static void ValidateGemm<T>(string f, bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, ReadOnlySpan<T> c, int ldc)
    {
        BlasArguments.Dimension(f, nameof(m), m);
        BlasArguments.Dimension(f, nameof(n), n);
        BlasArguments.Dimension(f, nameof(k), k);
        var shape = new ShapeNote(m, n, k, transA, transB, Gemv: false);
        BlasArguments.Matrix(f, nameof(a), nameof(lda), transA ? k : m, transA ? m : k, lda, a.Length, shape);
        BlasArguments.Matrix(f, nameof(b), nameof(ldb), transB ? n : k, transB ? k : n, ldb, b.Length, shape);
        BlasArguments.Matrix(f, nameof(c), nameof(ldc), m, n, ldc, c.Length, shape);
        BlasArguments.NoOverlap(f, nameof(c), c, nameof(a), a);
        BlasArguments.NoOverlap(f, nameof(c), c, nameof(b), b);
    }

    /// <summary>GEMM on a named backend, arguments already validated (tests and benchmarks compare backends with it).</summary>
    internal static void GemmUnchecked(BlasBackend backend, bool transA, bool transB, int m, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc, int maxThreads)
    {
        if (backend == BlasBackend.OpenBlas && m > 0 && n > 0 && k > 0)
            OpenBlasLibrary.Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        else
            ManagedGemm.Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, maxThreads);
    }

    /// <summary>GEMV on a named backend, arguments already validated.</summary>
    internal static void GemvUnchecked(BlasBackend backend, bool transA, int m, int n, double alpha,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> x, double beta, Span<double> y, int maxThreads)
    {
        if (backend == BlasBackend.OpenBlas && m > 0 && n > 0)
            OpenBlasLibrary.Gemv(transA, m, n, alpha, a, lda, x, beta, y);
        else
            ManagedGemv.Gemv(transA, m, n, alpha, a, lda, x, beta, y, maxThreads);
    }
}
