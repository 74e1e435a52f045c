using System.Runtime.InteropServices;

namespace Vinfer.Tensors.Kernels;

/// <summary>
/// The system OpenBLAS, loaded on first use with <see cref="NativeLibrary"/> and called through its CBLAS entry
/// points as unmanaged function pointers (no marshalling: spans are pinned and passed as raw pointers).
/// Debian's <c>libopenblas0</c> (LP64, 32-bit integers) installs <c>libopenblas.so.0</c> in the linker path and
/// under <c>/usr/lib/x86_64-linux-gnu/openblas-pthread/</c>. OpenBLAS reads <c>OPENBLAS_NUM_THREADS</c> itself
/// when it loads; when that variable is unset its pool is capped here at <see cref="Environment.ProcessorCount"/>.
/// </summary>
internal static unsafe class OpenBlasLibrary
{
    private const int CblasRowMajor = 101;
    private const int CblasNoTrans = 111;
    private const int CblasTrans = 112;

    /// <summary>Where the library is looked for, in order.</summary>
    internal static readonly string[] Candidates =
    [
        "libopenblas.so.0",
        "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
        "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
        "/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0",
        "libopenblas.so",
    ];

    private static readonly Lazy<State?> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    private sealed class State
    {
        public required string Path;
        public required delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void> Dgemm;
        public required delegate* unmanaged<int, int, int, int, double, double*, int, double*, int, double, double*, int, void> Dgemv;
        public required delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> Sgemm;
        public required int Threads;
    }

    /// <summary>True when the library was found and exports the CBLAS functions used here.</summary>
    public static bool IsAvailable => Loaded.Value is not null;

    /// <summary>True when the loaded library also exports <c>cblas_sgemm</c> (float32 GEMM).</summary>
    public static bool HasSingle => Loaded.Value is { } state && state.Sgemm != null;

    /// <summary>The path or name the library was loaded from, or null when it is absent.</summary>
    public static string? LoadedFrom => Loaded.Value?.Path;

    /// <summary>OpenBLAS's thread count as it reports it (0 when absent).</summary>
    public static int Threads => Loaded.Value?.Threads ?? 0;

    private static State? Load()
    {
        foreach (var candidate in Candidates)
        {
            if (!NativeLibrary.TryLoad(candidate, out var handle)) continue;
            if (!NativeLibrary.TryGetExport(handle, "cblas_dgemm", out var dgemm)
                || !NativeLibrary.TryGetExport(handle, "cblas_dgemv", out var dgemv))
            {
                NativeLibrary.Free(handle);
                continue;
            }

            int threads = 0;
            if (NativeLibrary.TryGetExport(handle, "openblas_get_num_threads", out var getThreads))
            {
                // Respect an explicit OPENBLAS_NUM_THREADS; otherwise use at most one thread per processor.
                if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OPENBLAS_NUM_THREADS"))
                    && NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out var setThreads))
                {
                    int current = ((delegate* unmanaged<int>)getThreads)();
                    if (current > Environment.ProcessorCount)
                        ((delegate* unmanaged<int, void>)setThreads)(Environment.ProcessorCount);
                }
                threads = ((delegate* unmanaged<int>)getThreads)();
            }

            NativeLibrary.TryGetExport(handle, "cblas_sgemm", out var sgemm);
            return new State
            {
                Sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemm,
                Path = candidate,
                Dgemm = (delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void>)dgemm,
                Dgemv = (delegate* unmanaged<int, int, int, int, double, double*, int, double*, int, double, double*, int, void>)dgemv,
                Threads = threads,
            };
        }
        return null;
    }

    private static State Require() =>
        Loaded.Value ?? throw new InvalidOperationException(
            "OpenBLAS is not available: libopenblas.so.0 with cblas_dgemm was not found (install Debian's libopenblas0, " +
            "or set VINFER_BLAS=managed).");

    /// <summary>cblas_dgemm in row-major order; arguments already validated, m, n, k &gt; 0.</summary>
    public static void Gemm(bool transA, bool transB, int m, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc)
    {
        var lib = Require();
        fixed (double* pa = a)
        fixed (double* pb = b)
        fixed (double* pc = c)
            lib.Dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
    }

    /// <summary>cblas_sgemm in row-major order; arguments already validated, m, n, k &gt; 0, <see cref="HasSingle"/> true.</summary>
    public static void Gemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        var lib = Require();
        if (lib.Sgemm == null) throw new InvalidOperationException($"OpenBLAS at {lib.Path} does not export cblas_sgemm.");
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
            lib.Sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
    }

    /// <summary>cblas_dgemv in row-major order with unit increments; arguments already validated, m, n &gt; 0.</summary>
    public static void Gemv(bool transA, int m, int n, double alpha, ReadOnlySpan<double> a, int lda,
        ReadOnlySpan<double> x, double beta, Span<double> y)
    {
        var lib = Require();
        fixed (double* pa = a)
        fixed (double* px = x)
        fixed (double* py = y)
            lib.Dgemv(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, m, n, alpha, pa, lda, px, 1, beta, py, 1);
    }
}
