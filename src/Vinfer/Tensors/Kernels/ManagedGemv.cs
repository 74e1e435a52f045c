using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Vinfer.Tensors.Kernels;

/// <summary>
/// The managed GEMV on a row-major m×n matrix A. y = alpha·A·x + beta·y computes one dot product per row (four
/// independent vector accumulators hide the FMA latency); y = alpha·Aᵀ·x + beta·y streams A once, row by row,
/// adding x_i·A[i,:] into the accumulators of a column range. Large products split rows (A·x) or column ranges
/// (Aᵀ·x) across threads; each output element is summed in the same order either way, so results are
/// bit-identical for any thread count.
/// </summary>
internal static unsafe class ManagedGemv
{
    /// <summary>A thread is worth starting for about this many multiply-adds (m·n).</summary>
    internal const long MinWorkPerThread = 200_000;

    /// <summary>Column ranges for Aᵀ·x are cut at multiples of this (one cache line of doubles).</summary>
    private const int ColumnGrain = 8;

    /// <summary>y = alpha·op(A)·x + beta·y, arguments already validated.</summary>
    public static void Gemv(bool transA, int m, int n, double alpha, ReadOnlySpan<double> a, int lda,
        ReadOnlySpan<double> x, double beta, Span<double> y, int maxThreads)
    {
        int outLength = transA ? n : m;
        if (outLength == 0) return;
        int inLength = transA ? m : n;
        if (inLength == 0 || alpha == 0.0)
        {
            ManagedGemm.ScaleC(1, outLength, beta, y, outLength);
            return;
        }

        int threads = (int)Math.Clamp((long)m * n / MinWorkPerThread, 1, Math.Max(1, maxThreads));
        fixed (double* pa = a)
        fixed (double* px = x)
        fixed (double* py = y)
        {
            if (!transA)
            {
                threads = Math.Min(threads, m);
                if (threads == 1) Rows(0, m, n, alpha, pa, lda, px, beta, py);
                else RowsParallel(m, n, alpha, pa, lda, px, beta, py, threads);
            }
            else if (UsesRowChunks(m, n))
            {
                RowChunked(m, n, alpha, pa, lda, px, beta, py, threads);
            }
            else
            {
                threads = Math.Min(threads, (n + ColumnGrain - 1) / ColumnGrain);
                if (threads == 1) Columns(0, n, m, alpha, pa, lda, px, beta, py);
                else ColumnsParallel(m, n, alpha, pa, lda, px, beta, py, threads);
            }
        }
    }

    // The parallel branches live in their own methods: a lambda capturing Gemv's parameters would make every call
    // allocate its closure, including the tiny single-threaded ones.

    /// <summary>A·x over blocks of rows taken dynamically (a busy core does not hold up the other).</summary>
    private static void RowsParallel(int m, int n, double alpha, double* a, nint lda, double* x, double beta, double* y, int threads)
    {
        nint ia = (nint)a, ix = (nint)x, iy = (nint)y;
        int parts = Math.Max(4 * threads, (int)Math.Min(m, (long)m * n / MinWorkPerThread));
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            int r0 = (int)((long)m * t / parts), r1 = (int)((long)m * (t + 1) / parts);
            Rows(r0, r1, n, alpha, (double*)ia, lda, (double*)ix, beta, (double*)iy);
        });
    }

    /// <summary>Aᵀ·x for wide matrices: one column range per thread, cut at cache-line multiples.</summary>
    private static void ColumnsParallel(int m, int n, double alpha, double* a, nint lda, double* x, double beta, double* y, int threads)
    {
        nint ia = (nint)a, ix = (nint)x, iy = (nint)y;
        int grains = (n + ColumnGrain - 1) / ColumnGrain;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            int j0 = (int)((long)grains * t / threads) * ColumnGrain;
            int j1 = Math.Min(n, (int)((long)grains * (t + 1) / threads) * ColumnGrain);
            Columns(j0, j1, m, alpha, (double*)ia, lda, (double*)ix, beta, (double*)iy);
        });
    }

    /// <summary>Rows per chunk of the row-chunked Aᵀ·x (fixed, so the summation order depends on the shape only).</summary>
    internal const int RowChunk = 4096;

    /// <summary>
    /// Whether Aᵀ·x for a tall matrix is computed in row chunks: then every thread streams whole rows of A
    /// (column ranges would make both threads walk every row, each reading part of it).
    /// </summary>
    internal static bool UsesRowChunks(int m, int n) => m >= 2 * RowChunk && n <= 4096;

    /// <summary>
    /// y = alpha·Aᵀ·x + beta·y over fixed chunks of <see cref="RowChunk"/> rows: each chunk's partial Aᵀ·x goes to its
    /// own buffer row (threads take contiguous runs of chunks), and partials are added in chunk order.
    /// </summary>
    private static void RowChunked(int m, int n, double alpha, double* a, nint lda, double* x, double beta, double* y, int threads)
    {
        int chunks = (m + RowChunk - 1) / RowChunk;
        double[] partial = System.Buffers.ArrayPool<double>.Shared.Rent(chunks * n);
        try
        {
            fixed (double* pp = partial)
            {
                nint ia = (nint)a, ix = (nint)x, ip = (nint)pp;
                void RunChunks(int from, int to)
                {
                    for (int ch = from; ch < to; ch++)
                    {
                        int r0 = ch * RowChunk, rows = Math.Min(RowChunk, m - r0);
                        Columns(0, n, rows, 1.0, (double*)ia + r0 * lda, lda, (double*)ix + r0, 0.0, (double*)ip + (nint)ch * n);
                    }
                }

                threads = Math.Min(threads, chunks);
                if (threads == 1) RunChunks(0, chunks);
                else Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, ch => RunChunks(ch, ch + 1));

                for (int j = 0; j < n; j++)
                {
                    double s = 0;
                    for (int ch = 0; ch < chunks; ch++) s += pp[(nint)ch * n + j];
                    y[j] = GemmMicroKernel.Merge(y[j], s, alpha, beta, first: true);
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(partial);
        }
    }

    /// <summary>
    /// y[i] for i in [r0, r1): one dot product of row i with x each, four rows at a time on AVX-512 so that each load
    /// of x serves four rows. Every row is summed exactly as <see cref="Dot"/> sums it (same accumulators, same
    /// reduction), so the grouping of rows never changes a result.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows(int r0, int r1, int n, double alpha, double* a, nint lda, double* x, double beta, double* y)
    {
        int i = r0;
        if (VectorPaths.Vector512Enabled && n >= 32)
        {
            for (; i + 4 <= r1; i += 4)
            {
                double* u0 = a + i * lda, u1 = u0 + lda, u2 = u1 + lda, u3 = u2 + lda;
                var a0 = Vector512<double>.Zero; var a1 = Vector512<double>.Zero; var a2 = Vector512<double>.Zero; var a3 = Vector512<double>.Zero;
                var b0 = Vector512<double>.Zero; var b1 = Vector512<double>.Zero; var b2 = Vector512<double>.Zero; var b3 = Vector512<double>.Zero;
                var c0 = Vector512<double>.Zero; var c1 = Vector512<double>.Zero; var c2 = Vector512<double>.Zero; var c3 = Vector512<double>.Zero;
                var d0 = Vector512<double>.Zero; var d1 = Vector512<double>.Zero; var d2 = Vector512<double>.Zero; var d3 = Vector512<double>.Zero;
                int j = 0;
                for (; j + 32 <= n; j += 32)
                {
                    var x0 = Vector512.Load(x + j); var x1 = Vector512.Load(x + j + 8);
                    var x2 = Vector512.Load(x + j + 16); var x3 = Vector512.Load(x + j + 24);
                    a0 = Vector512.FusedMultiplyAdd(Vector512.Load(u0 + j), x0, a0); a1 = Vector512.FusedMultiplyAdd(Vector512.Load(u0 + j + 8), x1, a1);
                    a2 = Vector512.FusedMultiplyAdd(Vector512.Load(u0 + j + 16), x2, a2); a3 = Vector512.FusedMultiplyAdd(Vector512.Load(u0 + j + 24), x3, a3);
                    b0 = Vector512.FusedMultiplyAdd(Vector512.Load(u1 + j), x0, b0); b1 = Vector512.FusedMultiplyAdd(Vector512.Load(u1 + j + 8), x1, b1);
                    b2 = Vector512.FusedMultiplyAdd(Vector512.Load(u1 + j + 16), x2, b2); b3 = Vector512.FusedMultiplyAdd(Vector512.Load(u1 + j + 24), x3, b3);
                    c0 = Vector512.FusedMultiplyAdd(Vector512.Load(u2 + j), x0, c0); c1 = Vector512.FusedMultiplyAdd(Vector512.Load(u2 + j + 8), x1, c1);
                    c2 = Vector512.FusedMultiplyAdd(Vector512.Load(u2 + j + 16), x2, c2); c3 = Vector512.FusedMultiplyAdd(Vector512.Load(u2 + j + 24), x3, c3);
                    d0 = Vector512.FusedMultiplyAdd(Vector512.Load(u3 + j), x0, d0); d1 = Vector512.FusedMultiplyAdd(Vector512.Load(u3 + j + 8), x1, d1);
                    d2 = Vector512.FusedMultiplyAdd(Vector512.Load(u3 + j + 16), x2, d2); d3 = Vector512.FusedMultiplyAdd(Vector512.Load(u3 + j + 24), x3, d3);
                }
                y[i] = GemmMicroKernel.Merge(y[i], FinishDot512(a0, a1, a2, a3, u0, x, j, n), alpha, beta, first: true);
                y[i + 1] = GemmMicroKernel.Merge(y[i + 1], FinishDot512(b0, b1, b2, b3, u1, x, j, n), alpha, beta, first: true);
                y[i + 2] = GemmMicroKernel.Merge(y[i + 2], FinishDot512(c0, c1, c2, c3, u2, x, j, n), alpha, beta, first: true);
                y[i + 3] = GemmMicroKernel.Merge(y[i + 3], FinishDot512(d0, d1, d2, d3, u3, x, j, n), alpha, beta, first: true);
            }
        }
        for (; i < r1; i++)
            y[i] = GemmMicroKernel.Merge(y[i], Dot(n, a + i * lda, x), alpha, beta, first: true);
    }

    /// <summary>The end of an AVX-512 dot product after its 32-wide blocks: combine, 8-wide blocks, reduce, scalar tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double FinishDot512(Vector512<double> s0, Vector512<double> s1, Vector512<double> s2, Vector512<double> s3,
        double* u, double* v, int j, int n)
    {
        var t = (s0 + s1) + (s2 + s3);
        for (; j + 8 <= n; j += 8) t = Vector512.FusedMultiplyAdd(Vector512.Load(u + j), Vector512.Load(v + j), t);
        double s = Vector512.Sum(t);
        for (; j < n; j++) s = Math.FusedMultiplyAdd(u[j], v[j], s);
        return s;
    }

    /// <summary>Dot product in a fixed order: four vector accumulators over full blocks, then a scalar tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double Dot(int n, double* u, double* v)
    {
        int j = 0;
        double s = 0;
        if (VectorPaths.Vector512Enabled)
        {
            if (n >= 32)
            {
                var s0 = Vector512<double>.Zero; var s1 = Vector512<double>.Zero;
                var s2 = Vector512<double>.Zero; var s3 = Vector512<double>.Zero;
                for (; j + 32 <= n; j += 32)
                {
                    s0 = Vector512.FusedMultiplyAdd(Vector512.Load(u + j), Vector512.Load(v + j), s0);
                    s1 = Vector512.FusedMultiplyAdd(Vector512.Load(u + j + 8), Vector512.Load(v + j + 8), s1);
                    s2 = Vector512.FusedMultiplyAdd(Vector512.Load(u + j + 16), Vector512.Load(v + j + 16), s2);
                    s3 = Vector512.FusedMultiplyAdd(Vector512.Load(u + j + 24), Vector512.Load(v + j + 24), s3);
                }
                return FinishDot512(s0, s1, s2, s3, u, v, j, n);
            }
        }
        else if (VectorPaths.Vector256Enabled && n >= 16)
        {
            var s0 = Vector256<double>.Zero; var s1 = Vector256<double>.Zero;
            var s2 = Vector256<double>.Zero; var s3 = Vector256<double>.Zero;
            for (; j + 16 <= n; j += 16)
            {
                s0 = Vector256.FusedMultiplyAdd(Vector256.Load(u + j), Vector256.Load(v + j), s0);
                s1 = Vector256.FusedMultiplyAdd(Vector256.Load(u + j + 4), Vector256.Load(v + j + 4), s1);
                s2 = Vector256.FusedMultiplyAdd(Vector256.Load(u + j + 8), Vector256.Load(v + j + 8), s2);
                s3 = Vector256.FusedMultiplyAdd(Vector256.Load(u + j + 12), Vector256.Load(v + j + 12), s3);
            }
            s = Vector256.Sum((s0 + s1) + (s2 + s3));
        }
        for (; j < n; j++) s = Math.FusedMultiplyAdd(u[j], v[j], s);
        return s;
    }

    /// <summary>
    /// y[j] for j in [j0, j1) of y = alpha·Aᵀ·x + beta·y: acc[j] = Σ_i x_i·A[i,j] in row order, accumulated in a
    /// stack buffer in chunks of at most 512 columns, then merged into y.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Columns(int j0, int j1, int m, double alpha, double* a, nint lda, double* x, double beta, double* y)
    {
        const int Chunk = 512;
        double* acc = stackalloc double[Chunk];
        for (int cs = j0; cs < j1; cs += Chunk)
        {
            int w = Math.Min(Chunk, j1 - cs);
            new Span<double>(acc, w).Clear();
            for (int i = 0; i < m; i++)
            {
                double xi = x[i];
                double* row = a + i * lda + cs;
                int j = 0;
                if (VectorPaths.Vector512Enabled)
                {
                    var vx = Vector512.Create(xi);
                    for (; j + 8 <= w; j += 8)
                        Vector512.Store(Vector512.FusedMultiplyAdd(vx, Vector512.Load(row + j), Vector512.Load(acc + j)), acc + j);
                }
                else if (VectorPaths.Vector256Enabled)
                {
                    var vx = Vector256.Create(xi);
                    for (; j + 4 <= w; j += 4)
                        Vector256.Store(Vector256.FusedMultiplyAdd(vx, Vector256.Load(row + j), Vector256.Load(acc + j)), acc + j);
                }
                for (; j < w; j++) acc[j] = Math.FusedMultiplyAdd(xi, row[j], acc[j]);
            }
            for (int j = 0; j < w; j++)
                y[cs + j] = GemmMicroKernel.Merge(y[cs + j], acc[j], alpha, beta, first: true);
        }
    }
}
