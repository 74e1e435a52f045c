using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Vinfer.Tensors.Kernels;

/// <summary>
/// The managed GEMM, C = alpha·op(A)·op(B) + beta·C on row-major storage. Large products use the GotoBLAS/BLIS
/// blocking (Goto &amp; van de Geijn, ACM TOMS 34(3), 2008; Van Zee &amp; van de Geijn, ACM TOMS 41(3), 2015):
/// loops over NC-column blocks of B, KC-deep k-blocks (B block packed), MC-row blocks of A (A block packed), and
/// an <see cref="GemmMicroKernel"/> register tile. Threads own disjoint rectangles of C and each runs the whole
/// k range in the same KC blocks, so every element is summed in one fixed order: results are bit-identical for
/// any thread count. Small products skip packing and threading.
/// </summary>
internal static unsafe class ManagedGemm
{
    /// <summary>Depth of a k-block: a KC×NR panel of B (32 KiB with AVX-512) stays in L1 through the micro-kernel loop.</summary>
    internal const int Kc = 256;

    /// <summary>Below this many multiply-adds (m·n·k) the simple loop beats the cost of packing.</summary>
    internal const long SmallProductThreshold = 40L * 40 * 40;

    /// <summary>A thread is worth starting for about this many flops (2·m·n·k); Parallel.For costs a few microseconds.</summary>
    internal const long MinFlopsPerThread = 4_000_000;

    /// <summary>Rows of the register tile in use.</summary>
    internal static int Mr => VectorPaths.Vector512Enabled ? GemmMicroKernel.Mr512 : GemmMicroKernel.Mr256;

    /// <summary>Columns of the register tile in use.</summary>
    internal static int Nr => VectorPaths.Vector512Enabled ? GemmMicroKernel.Nr512 : GemmMicroKernel.Nr256;

    /// <summary>Rows of a packed A block (Mc·Kc doubles, 192 KiB, sits in L2); a multiple of both tile heights (8 and 6).</summary>
    internal const int Mc = 96;

    /// <summary>Columns of a packed B block (Kc·Nc doubles, 4 MiB, in L3); a multiple of both tile widths (16 and 8).</summary>
    internal const int Nc = 2048;

    [ThreadStatic] private static double[]? t_packA;
    [ThreadStatic] private static double[]? t_packB;

    /// <summary>
    /// C = alpha·op(A)·op(B) + beta·C, arguments already validated. <paramref name="maxThreads"/> bounds the number of
    /// output partitions (and so threads); the result does not depend on it.
    /// </summary>
    public static void Gemm(bool transA, bool transB, int m, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc, int maxThreads)
    {
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0.0)
        {
            ScaleC(m, n, beta, c, ldc);
            return;
        }

        fixed (double* pa = a)
        fixed (double* pb = b)
        fixed (double* pc = c)
        {
            if ((long)m * n * k <= SmallProductThreshold)
            {
                Small(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
                return;
            }

            if (UsesKSplit(m, n, k))
            {
                KSplit(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, maxThreads);
                return;
            }

            var job = new Job(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            int threads = (int)Math.Clamp(2L * m * n * k / MinFlopsPerThread, 1, Math.Max(1, maxThreads));
            int mt = (m + Mr - 1) / Mr, nt = (n + Nr - 1) / Nr;
            int rowParts = 1, colParts = 1;
            if (threads > 1)
            {
                // Many more blocks than threads, taken dynamically by Parallel.For: a thread slowed by another
                // process on its core does not hold up the rest. Results do not depend on the partition.
                rowParts = Math.Min(mt, Math.Max(4 * threads, (m + 4 * Mc - 1) / (4 * Mc)));
                if (rowParts < 2 * threads) colParts = Math.Min(nt, (4 * threads + rowParts - 1) / rowParts);
            }
            job.RowParts = rowParts;
            job.ColParts = colParts;
            int parts = rowParts * colParts;
            if (parts == 1) job.Run(0);
            else Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = threads }, job.Run);
        }
    }

    /// <summary>C = beta·C (C zeroed when beta = 0, so NaN in C does not survive, as in reference BLAS).</summary>
    internal static void ScaleC(int m, int n, double beta, Span<double> c, int ldc)
    {
        if (beta == 1.0) return;
        for (int i = 0; i < m; i++)
        {
            var row = c.Slice(i * ldc, n);
            if (beta == 0.0) row.Clear();
            else System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
        }
    }

    /// <summary>
    /// Small products: for each row i, C[i,:] = beta·C[i,:] + Σ_p (alpha·A[i,p])·B[p,:] as vectorized axpys when
    /// B's rows are contiguous, or dot products of contiguous rows when op(B) = Bᵀ. No packing, no threads.
    /// </summary>
    private static void Small(bool transA, bool transB, int m, int n, int k, double alpha,
        double* a, nint lda, double* b, nint ldb, double beta, double* c, nint ldc)
    {
        nint aRowStep = transA ? 1 : lda, aColStep = transA ? lda : 1;
        for (int i = 0; i < m; i++)
        {
            double* ci = c + i * ldc;
            double* ai = a + i * aRowStep;
            if (!transB)
            {
                if (beta == 0.0) new Span<double>(ci, n).Clear();
                else if (beta != 1.0) for (int j = 0; j < n; j++) ci[j] *= beta;
                for (int p = 0; p < k; p++)
                    Axpy(n, alpha * ai[p * aColStep], b + p * ldb, ci);
            }
            else
            {
                for (int j = 0; j < n; j++)
                {
                    double* bj = b + j * ldb;
                    double s = transA ? StridedDot(k, ai, aColStep, bj) : Dot(k, ai, bj);
                    ci[j] = GemmMicroKernel.Merge(ci[j], s, alpha, beta, first: true);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Axpy(int n, double s, double* x, double* y)
    {
        int j = 0;
        if (VectorPaths.Vector256Enabled)
        {
            var vs = Vector256.Create(s);
            for (; j + 4 <= n; j += 4)
                Vector256.Store(Vector256.FusedMultiplyAdd(vs, Vector256.Load(x + j), Vector256.Load(y + j)), y + j);
        }
        for (; j < n; j++) y[j] = Math.FusedMultiplyAdd(s, x[j], y[j]);
    }

    private static double Dot(int k, double* x, double* y)
    {
        int p = 0;
        double s = 0;
        if (VectorPaths.Vector256Enabled && k >= 8)
        {
            var acc0 = Vector256<double>.Zero;
            var acc1 = Vector256<double>.Zero;
            for (; p + 8 <= k; p += 8)
            {
                acc0 = Vector256.FusedMultiplyAdd(Vector256.Load(x + p), Vector256.Load(y + p), acc0);
                acc1 = Vector256.FusedMultiplyAdd(Vector256.Load(x + p + 4), Vector256.Load(y + p + 4), acc1);
            }
            s = Vector256.Sum(acc0 + acc1);
        }
        for (; p < k; p++) s = Math.FusedMultiplyAdd(x[p], y[p], s);
        return s;
    }

    private static double StridedDot(int k, double* x, nint incx, double* y)
    {
        double s = 0;
        for (int p = 0; p < k; p++) s = Math.FusedMultiplyAdd(x[p * incx], y[p], s);
        return s;
    }

    /// <summary>Depth of one k-chunk of the k-split (a multiple of <see cref="Kc"/>); fixed, so the summation order depends on k only.</summary>
    internal const int KSplitChunk = 32 * Kc;

    /// <summary>
    /// Whether a product with a small C and a long inner dimension (e.g. Xᵀ·G in a regression gradient) is split
    /// along k: output partitions would leave threads idle or striding across the rows of a transposed A.
    /// The choice depends on the shape only, never on the thread count.
    /// </summary>
    internal static bool UsesKSplit(int m, int n, int k) =>
        k >= 2 * KSplitChunk && (long)m * n <= 128 * 128;

    /// <summary>
    /// C = alpha·Σ_chunks op(A)[:, chunk]·op(B)[chunk, :] + beta·C: each fixed k-chunk is multiplied on its own
    /// (threads take contiguous runs of chunks) into a partial product, and the partials are then added in chunk
    /// order, so the result is bit-identical for any thread count.
    /// </summary>
    private static void KSplit(bool transA, bool transB, int m, int n, int k, double alpha,
        double* a, nint lda, double* b, nint ldb, double beta, double* c, nint ldc, int maxThreads)
    {
        int chunks = (k + KSplitChunk - 1) / KSplitChunk;
        int size = m * n;
        double[] partial = System.Buffers.ArrayPool<double>.Shared.Rent(chunks * size);
        try
        {
            fixed (double* pp = partial)
            {
                nint ia = (nint)a, ib = (nint)b, ip = (nint)pp;
                void RunChunks(int from, int to)
                {
                    for (int ch = from; ch < to; ch++)
                    {
                        int p0 = ch * KSplitChunk, kc = Math.Min(KSplitChunk, k - p0);
                        double* aChunk = (double*)ia + (transA ? p0 * lda : p0);
                        double* bChunk = (double*)ib + (transB ? p0 : p0 * ldb);
                        Blocked(transA, transB, kc, 1.0, aChunk, lda, bChunk, ldb, 0.0, (double*)ip + (nint)ch * size, n, 0, m, 0, n);
                    }
                }

                int threads = (int)Math.Clamp(2L * m * n * k / MinFlopsPerThread, 1, Math.Min(Math.Max(1, maxThreads), chunks));
                if (threads == 1) RunChunks(0, chunks);
                else Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, ch => RunChunks(ch, ch + 1));

                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++)
                    {
                        double s = 0;
                        for (int ch = 0; ch < chunks; ch++) s += pp[(nint)ch * size + i * n + j];
                        c[i * ldc + j] = GemmMicroKernel.Merge(c[i * ldc + j], s, alpha, beta, first: true);
                    }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(partial);
        }
    }

    /// <summary>A 64-byte-aligned pointer into a pinned per-thread buffer of at least <paramref name="length"/> doubles.</summary>
    private static double* Buffer(ref double[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length + 8)
            buffer = GC.AllocateUninitializedArray<double>(length + 8, pinned: true);
        double* p = (double*)Unsafe.AsPointer(ref buffer[0]);
        return (double*)(((nint)p + 63) & ~(nint)63);
    }

    /// <summary>One blocked product; <see cref="Run"/> computes one rectangle of C.</summary>
    private sealed class Job(bool transA, bool transB, int m, int n, int k, double alpha,
        double* a, nint lda, double* b, nint ldb, double beta, double* c, nint ldc)
    {
        public int RowParts = 1;
        public int ColParts = 1;

        public void Run(int part)
        {
            int mr = Mr, nr = Nr;
            int mt = (m + mr - 1) / mr, nt = (n + nr - 1) / nr;
            int rp = part % RowParts, cp = part / RowParts;
            // Partition boundaries fall on tile edges; rectangles are disjoint and cover C.
            int r0 = (int)((long)mt * rp / RowParts) * mr, r1 = Math.Min(m, (int)((long)mt * (rp + 1) / RowParts) * mr);
            int c0 = (int)((long)nt * cp / ColParts) * nr, c1 = Math.Min(n, (int)((long)nt * (cp + 1) / ColParts) * nr);
            if (r0 >= r1 || c0 >= c1) return;

            Blocked(transA, transB, k, alpha, a, lda, b, ldb, beta, c, ldc, r0, r1, c0, c1);
        }
    }

    /// <summary>
    /// The blocked loops over the rectangle [r0, r1) × [c0, c1) of C, on the calling thread, with its own packing buffers.
    /// </summary>
    private static void Blocked(bool transA, bool transB, int k, double alpha, double* a, nint lda, double* b, nint ldb,
        double beta, double* c, nint ldc, int r0, int r1, int c0, int c1)
    {
        int mr = Mr, nr = Nr;
        const int mc = Mc, nc = Nc;
        int kcMax = Math.Min(Kc, k);
        double* packA = Buffer(ref t_packA, ((Math.Min(mc, r1 - r0) + mr - 1) / mr * mr) * kcMax);
        double* packB = Buffer(ref t_packB, ((Math.Min(nc, c1 - c0) + nr - 1) / nr * nr) * kcMax);
        bool use512 = VectorPaths.Vector512Enabled;

        for (int jc = c0; jc < c1; jc += nc)
        {
            int ncCur = Math.Min(nc, c1 - jc);
            for (int pc = 0; pc < k; pc += Kc)
            {
                int kc = Math.Min(Kc, k - pc);
                bool first = pc == 0;
                GemmPacking.PackB(transB, b, ldb, pc, kc, jc, ncCur, nr, packB);
                // An A block that serves at most two B panels is read in place: packing it would cost more than it saves.
                bool unpackedA = use512 && ncCur <= 2 * nr;
                nint rsA = transA ? 1 : lda, csA = transA ? lda : 1;
                for (int ic = r0; ic < r1; ic += mc)
                {
                    int mcCur = Math.Min(mc, r1 - ic);
                    if (unpackedA)
                    {
                        for (int jr = 0; jr < ncCur; jr += nr)
                        {
                            int nrCur = Math.Min(nr, ncCur - jr);
                            double* bPanel = packB + (nint)jr * kc;
                            for (int ir = 0; ir < mcCur; ir += mr)
                                GemmMicroKernel.Kernel8x16Unpacked(kc, a + (ic + ir) * rsA + pc * csA, rsA, csA, bPanel,
                                    c + (ic + ir) * ldc + jc + jr, ldc, Math.Min(mr, mcCur - ir), nrCur, alpha, beta, first);
                        }
                        continue;
                    }

                    GemmPacking.PackA(transA, a, lda, ic, mcCur, pc, kc, mr, packA);
                    for (int jr = 0; jr < ncCur; jr += nr)
                    {
                        int nrCur = Math.Min(nr, ncCur - jr);
                        double* bPanel = packB + (nint)jr * kc;
                        double* cCol = c + jc + jr;
                        for (int ir = 0; ir < mcCur; ir += mr)
                        {
                            int mrCur = Math.Min(mr, mcCur - ir);
                            double* cTile = cCol + (ic + ir) * ldc;
                            if (use512)
                                GemmMicroKernel.Kernel8x16(kc, packA + (nint)ir * kc, bPanel, cTile, ldc, mrCur, nrCur, alpha, beta, first);
                            else
                                GemmMicroKernel.Kernel6x8(kc, packA + (nint)ir * kc, bPanel, cTile, ldc, mrCur, nrCur, alpha, beta, first);
                        }
                    }
                }
            }
        }
    }
}
