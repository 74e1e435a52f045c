using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Vinfer.Tensors.Kernels;

namespace Vinfer.Likelihoods;

/// <summary>
/// The one-pass kernel behind the fused GLM ops of <see cref="Glm"/>: for S coefficient samples at once and a link
/// <typeparamref name="TLink"/>, ℓ_s = Σᵢ ℓ(yᵢ, ηᵢₛ) with η = α + Xβ, together with ∂ℓ_s/∂β = Σᵢ rᵢₛ xᵢ and
/// ∂ℓ_s/∂α = Σᵢ rᵢₛ, rᵢₛ = ∂ℓ/∂η, reading each row of X once (as Stan Math's *_glm_lpmf functions compute value and
/// gradient together; Carpenter et al., "The Stan Math Library", arXiv:1509.07164, 2015; the GLM primitives are
/// described in Ciglarič, Češnovar and Štrumbelj, "Automated OpenCL GPU kernel fusion for Stan Math", 2020).
/// <para>
/// A block of rows (8 for S = 1, 4 for S > 1) is loaded once into L1: the linear predictors are formed
/// (vectorized over D for S = 1; for S > 1 a 4-row × 2W- or W-particle register-blocked product per block of
/// particles, W the doubles per vector, so with 512-bit vectors S = 32 is two blocks of 16 and S = 24 one of 16 and
/// one of 8), the link terms are evaluated on whole vectors, and the gradient is accumulated from the same rows while
/// they are still in L1. An S that is not a multiple of W is padded to the next multiple with zero coefficients (whose
/// results are dropped): the extra lanes cost less than leaving the vector path.
/// </para>
/// <para>
/// The blocked path is written once, generic over the vector width (<see cref="IDoubleLanes{TSelf}"/>), and runs
/// with 512-bit vectors (W = 8) where the CPU has AVX-512 and with 256-bit ones (W = 4) where it has only AVX2 (the
/// x86-64-v3 native build); the link formulas (<see cref="IGlmLink"/>) are also written once, for every width and
/// for the scalar general path. Without vectors (or for the row tail) the general path runs, one row at a time,
/// vectorized over S. <see cref="VectorPaths"/> chooses the width, so tests force each path on one machine.
/// </para>
/// <para>
/// Threads: rows are cut into fixed chunks of <see cref="ChunkRows"/> rows (independent of the thread count); threads
/// claim chunks dynamically, each chunk accumulates its own partial sums (block by block, in row order) and the
/// partials are added in chunk order. The result is therefore bit-identical from run to run and for any thread
/// count; dynamic claiming keeps a thread that the OS deschedules from holding up a fixed share of the rows.
/// </para>
/// </summary>
internal static unsafe class GlmKernel<TLink> where TLink : struct, IGlmLink
{
    /// <summary>A thread is worth starting for about this many multiply-adds (N·D·S).</summary>
    internal const long MinWorkPerThread = 1L << 17;

    /// <summary>
    /// Rows per chunk: the unit of work a thread claims and of the partial sums. Fixed (not derived from the thread
    /// count), so the summation order, and with it every bit of the result, is the same for any number of threads.
    /// A multiple of 8 so that only the last chunk has a row tail.
    /// </summary>
    internal const int ChunkRows = 2048;

    /// <summary>
    /// S = 1 prefetches the next block of rows while forming this block's predictors: measured 25–35 % less CPU time
    /// per evaluation than leaving it to the hardware prefetcher (N = 100,000, D = 100). Prefetches never fault, so
    /// running past the end of X is harmless.
    /// </summary>
    private static readonly bool Prefetch = System.Runtime.Intrinsics.X86.Sse.IsSupported;

    /// <summary>
    /// Evaluates the log-likelihoods and (when <paramref name="withGradient"/>) their gradients.
    /// </summary>
    /// <param name="n">Rows of X (observations).</param>
    /// <param name="d">Columns of X (predictors).</param>
    /// <param name="s">Coefficient samples.</param>
    /// <param name="x">Design matrix, N×D row-major.</param>
    /// <param name="y">Outcomes, N values (validated by the caller).</param>
    /// <param name="alpha">Intercepts, S values (a shared intercept is repeated by the caller).</param>
    /// <param name="beta">Coefficients, D×S row-major (column s is sample s).</param>
    /// <param name="logLik">Output: S log-likelihoods.</param>
    /// <param name="gradBeta">Output when <paramref name="withGradient"/>: D×S, ∂ℓ_s/∂β[·, s].</param>
    /// <param name="gradAlpha">Output when <paramref name="withGradient"/>: S values, ∂ℓ_s/∂α_s.</param>
    /// <param name="withGradient">Whether to accumulate the gradients.</param>
    /// <param name="maxThreads">Upper bound on the number of threads; the result does not depend on it.</param>
    public static void Evaluate(int n, int d, int s, ReadOnlySpan<double> x, ReadOnlySpan<double> y,
        ReadOnlySpan<double> alpha, ReadOnlySpan<double> beta, Span<double> logLik, Span<double> gradBeta,
        Span<double> gradAlpha, bool withGradient, int maxThreads)
    {
        int lanes = VectorLanes;
        if (lanes > 0 && s > 1 && s % lanes != 0)
        {
            EvaluatePadded(n, d, s, lanes, x, y, alpha, beta, logLik, gradBeta, gradAlpha, withGradient, maxThreads);
            return;
        }
        int chunks = Math.Max(1, (n + ChunkRows - 1) / ChunkRows);
        int threads = Math.Min(ThreadCount(n, d, s, maxThreads), chunks);
        fixed (double* px = x, py = y, pa = alpha, pb = beta, pl = logLik, pgb = gradBeta, pga = gradAlpha)
        {
            var job = new Job
            {
                N = n, D = d, S = s, X = px, Y = py, Alpha = pa, Beta = pb, WithGradient = withGradient,
                Chunks = chunks, Out0L = pl, Out0Gb = pgb, Out0Ga = pga,
            };
            if (chunks == 1)
            {
                job.RunRange(0, n, pl, pgb, pga);
                return;
            }

            // Chunk 0 writes straight into the outputs, the others into pooled scratch; then they are added in
            // chunk order. Threads claim chunks dynamically (a descheduled thread holds up no fixed share).
            int per = job.PartialSize;
            double[] scratch = ArrayPool<double>.Shared.Rent(per * (chunks - 1));
            try
            {
                fixed (double* ps = scratch)
                {
                    job.Scratch = ps;
                    if (threads == 1) job.Work(0);
                    else Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, job.Work);
                    for (int c = 1; c < chunks; c++)
                    {
                        double* part = ps + (long)(c - 1) * per;
                        Add(pl, part, s);
                        if (withGradient)
                        {
                            Add(pgb, part + s, d * s);
                            Add(pga, part + s + d * s, s);
                        }
                    }
                }
            }
            finally { ArrayPool<double>.Shared.Return(scratch); }
        }
    }

    /// <summary>
    /// The doubles per vector of the blocked path that runs: 8 (512-bit), 4 (256-bit) or 0 (none: the general rows).
    /// Read from <see cref="VectorPaths"/>, so tests force each path.
    /// </summary>
    internal static int VectorLanes => VectorPaths.Vector512Enabled ? 8 : VectorPaths.Vector256Enabled ? 4 : 0;

    /// <summary>
    /// <see cref="Evaluate"/> for an S that is not a multiple of the vector width <paramref name="lanes"/>: the
    /// particles are padded to the next multiple with α = 0 and β = 0 (finite terms for every link), evaluated on the
    /// blocked vector path, and the first S copied out.
    /// </summary>
    private static void EvaluatePadded(int n, int d, int s, int lanes, ReadOnlySpan<double> x, ReadOnlySpan<double> y,
        ReadOnlySpan<double> alpha, ReadOnlySpan<double> beta, Span<double> logLik, Span<double> gradBeta,
        Span<double> gradAlpha, bool withGradient, int maxThreads)
    {
        int sp = (s + lanes - 1) / lanes * lanes;
        int size = sp + d * sp + sp + d * sp + sp;
        double[] rented = ArrayPool<double>.Shared.Rent(size);
        try
        {
            var all = rented.AsSpan(0, size);
            all.Clear();
            var alphaPadded = all[..sp];
            var betaPadded = all.Slice(sp, d * sp);
            var logLikPadded = all.Slice(sp + d * sp, sp);
            var gradBetaPadded = all.Slice(2 * sp + d * sp, d * sp);
            var gradAlphaPadded = all.Slice(2 * sp + 2 * d * sp, sp);
            alpha[..s].CopyTo(alphaPadded);
            for (int k = 0; k < d; k++) beta.Slice(k * s, s).CopyTo(betaPadded.Slice(k * sp, s));
            Evaluate(n, d, sp, x, y, alphaPadded, betaPadded, logLikPadded, gradBetaPadded, gradAlphaPadded,
                withGradient, maxThreads);
            logLikPadded[..s].CopyTo(logLik);
            if (!withGradient) return;
            gradAlphaPadded[..s].CopyTo(gradAlpha);
            for (int k = 0; k < d; k++) gradBetaPadded.Slice(k * sp, s).CopyTo(gradBeta.Slice(k * s, s));
        }
        finally { ArrayPool<double>.Shared.Return(rented); }
    }

    /// <summary>The number of threads worth using for a problem of this size (at most <paramref name="maxThreads"/>).</summary>
    internal static int ThreadCount(int n, int d, int s, int maxThreads)
    {
        long work = (long)n * Math.Max(d, 1) * s;
        return (int)Math.Clamp(work / MinWorkPerThread, 1, Math.Max(1, Math.Min(maxThreads, n)));
    }

    private static void Add(double* acc, double* part, int count)
    {
        System.Numerics.Tensors.TensorPrimitives.Add(new ReadOnlySpan<double>(acc, count),
            new ReadOnlySpan<double>(part, count), new Span<double>(acc, count));
    }

    private sealed class Job
    {
        public int N, D, S, Chunks;
        public double* X, Y, Alpha, Beta, Scratch, Out0L, Out0Gb, Out0Ga;
        public bool WithGradient;
        private int _nextChunk;

        public int PartialSize => S + (WithGradient ? D * S + S : 0);

        // One worker: claims chunks until none are left.
        public void Work(int worker)
        {
            _ = worker;
            int per = PartialSize;
            for (int c = Interlocked.Increment(ref _nextChunk) - 1; c < Chunks; c = Interlocked.Increment(ref _nextChunk) - 1)
            {
                int lo = c * ChunkRows, hi = Math.Min(N, lo + ChunkRows);
                if (c == 0) { RunRange(lo, hi, Out0L, Out0Gb, Out0Ga); continue; }
                double* part = Scratch + (long)(c - 1) * per;
                RunRange(lo, hi, part, part + S, part + S + D * S);
            }
        }

        public void RunRange(int lo, int hi, double* logLik, double* gradBeta, double* gradAlpha)
        {
            new Span<double>(logLik, S).Clear();
            if (WithGradient)
            {
                new Span<double>(gradBeta, D * S).Clear();
                new Span<double>(gradAlpha, S).Clear();
            }
            int i = lo;
            if (VectorPaths.Vector512Enabled) i = VectorRows<DoubleLanes512>(lo, hi, logLik, gradBeta, gradAlpha);
            else if (VectorPaths.Vector256Enabled) i = VectorRows<DoubleLanes256>(lo, hi, logLik, gradBeta, gradAlpha);
            GeneralRows(i, hi, logLik, gradBeta, gradAlpha);
        }

        // The blocked rows at one vector width; returns the first row left to the general path (the row tail, or
        // every row for an S the width does not divide, which Evaluate pads away).
        private int VectorRows<TV>(int lo, int hi, double* logLik, double* gradBeta, double* gradAlpha)
            where TV : struct, IDoubleLanes<TV>
        {
            if (S == 1) return RowsS1<TV>(lo, hi, logLik, gradBeta, gradAlpha);
            if (S % TV.Count == 0) return RowsBlocked<TV>(lo, hi, logLik, gradBeta, gradAlpha);
            return lo;
        }

        // ---- S = 1: blocks of 8 rows, vectorized over D, 8 linear predictors (one 512-bit or two 256-bit vectors) ----
        private int RowsS1<TV>(int lo, int hi, double* logLik, double* gradBeta, double* gradAlpha)
            where TV : struct, IDoubleLanes<TV>
        {
            int d = D, dv = d & ~(TV.Count - 1);
            double* beta = Beta;
            var eta = stackalloc double[8];
            var r = stackalloc double[8];
            var llAcc = TV.Zero;
            var gaAcc = TV.Zero;
            var alpha = TV.Create(Alpha[0]);
            int i = lo;
            for (; i + 8 <= hi; i += 8)
            {
                double* x0 = X + (long)i * d;
                Dot4<TV>(x0, d, dv, beta, eta);
                Dot4<TV>(x0 + 4L * d, d, dv, beta, eta + 4);
                for (int q = 0; q < 8; q += TV.Count)
                {
                    TLink.Terms(TV.Load(eta + q) + alpha, TV.Load(Y + i + q), out var ll, out var res);
                    llAcc += ll;
                    gaAcc += res;
                    res.Store(r + q);
                }
                if (WithGradient) Gradient8x1<TV>(x0, d, dv, r, gradBeta);
            }
            logLik[0] += TV.Sum(llAcc);
            if (WithGradient) gradAlpha[0] += TV.Sum(gaAcc);
            return i;
        }

        // ∂β += Σ_j r_j x_j over the 8 rows at x0, still in L1: one load and store of each gradient chunk per block.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Gradient8x1<TV>(double* x0, int d, int dv, double* r, double* gradBeta)
            where TV : struct, IDoubleLanes<TV>
        {
            var r0 = TV.Create(r[0]); var r1 = TV.Create(r[1]);
            var r2 = TV.Create(r[2]); var r3 = TV.Create(r[3]);
            var r4 = TV.Create(r[4]); var r5 = TV.Create(r[5]);
            var r6 = TV.Create(r[6]); var r7 = TV.Create(r[7]);
            int k = 0;
            for (; k < dv; k += TV.Count)
            {
                double* xk = x0 + k;
                // Two independent chains of 4 FMAs (not one of 8) so the FMA latency overlaps.
                var g = TV.Load(gradBeta + k);
                var h = r1 * TV.Load(xk + d);
                g = TV.FusedMultiplyAdd(r0, TV.Load(xk), g);
                h = TV.FusedMultiplyAdd(r3, TV.Load(xk + 3 * d), h);
                g = TV.FusedMultiplyAdd(r2, TV.Load(xk + 2 * d), g);
                h = TV.FusedMultiplyAdd(r5, TV.Load(xk + 5 * d), h);
                g = TV.FusedMultiplyAdd(r4, TV.Load(xk + 4 * d), g);
                h = TV.FusedMultiplyAdd(r7, TV.Load(xk + 7 * d), h);
                g = TV.FusedMultiplyAdd(r6, TV.Load(xk + 6 * d), g);
                (g + h).Store(gradBeta + k);
            }
            if (TV.Count == 8 && k + 4 <= d)
            {
                // A half-vector step for a tail of 4–7 columns (D = 100 ends with one).
                double* xk = x0 + k;
                var g = Vector256.Load(gradBeta + k);
                for (int j = 0; j < 8; j++)
                    g = Vector256.FusedMultiplyAdd(Vector256.Create(r[j]), Vector256.Load(xk + j * d), g);
                g.Store(gradBeta + k);
                k += 4;
            }
            for (; k < d; k++)
            {
                double* xk = x0 + k;
                double acc = gradBeta[k];
                for (int j = 0; j < 8; j++) acc = Math.FusedMultiplyAdd(r[j], xk[j * d], acc);
                gradBeta[k] = acc;
            }
        }

        // Four dot products x_j·β at once (independent accumulators hide the FMA latency; β is loaded once).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Dot4<TV>(double* x0, int d, int dv, double* beta, double* eta)
            where TV : struct, IDoubleLanes<TV>
        {
            var a0 = TV.Zero; var a1 = a0; var a2 = a0; var a3 = a0;
            double* x1 = x0 + d, x2 = x0 + 2 * d, x3 = x0 + 3 * d;
            int k = 0;
            for (; k < dv; k += TV.Count)
            {
                var b = TV.Load(beta + k);
                if (Prefetch && (k & 7) == 0)
                {
                    // The same cache lines of the rows one block (8 rows) ahead, once per 8 doubles (64 bytes).
                    System.Runtime.Intrinsics.X86.Sse.Prefetch0(x0 + 8 * d + k);
                    System.Runtime.Intrinsics.X86.Sse.Prefetch0(x1 + 8 * d + k);
                    System.Runtime.Intrinsics.X86.Sse.Prefetch0(x2 + 8 * d + k);
                    System.Runtime.Intrinsics.X86.Sse.Prefetch0(x3 + 8 * d + k);
                }
                a0 = TV.FusedMultiplyAdd(TV.Load(x0 + k), b, a0);
                a1 = TV.FusedMultiplyAdd(TV.Load(x1 + k), b, a1);
                a2 = TV.FusedMultiplyAdd(TV.Load(x2 + k), b, a2);
                a3 = TV.FusedMultiplyAdd(TV.Load(x3 + k), b, a3);
            }
            double s0 = TV.Sum(a0), s1 = TV.Sum(a1), s2 = TV.Sum(a2), s3 = TV.Sum(a3);
            if (TV.Count == 8 && k + 4 <= d)
            {
                // A half-vector step for a tail of 4–7 columns.
                var b = Vector256.Load(beta + k);
                s0 += Vector256.Sum(Vector256.Load(x0 + k) * b);
                s1 += Vector256.Sum(Vector256.Load(x1 + k) * b);
                s2 += Vector256.Sum(Vector256.Load(x2 + k) * b);
                s3 += Vector256.Sum(Vector256.Load(x3 + k) * b);
                k += 4;
            }
            for (; k < d; k++)
            {
                double b = beta[k];
                s0 = Math.FusedMultiplyAdd(x0[k], b, s0);
                s1 = Math.FusedMultiplyAdd(x1[k], b, s1);
                s2 = Math.FusedMultiplyAdd(x2[k], b, s2);
                s3 = Math.FusedMultiplyAdd(x3[k], b, s3);
            }
            eta[0] = s0; eta[1] = s1; eta[2] = s2; eta[3] = s3;
        }

        // ---- S a multiple of the width W (8 or 4): blocks of 4 rows; per block of 2W (or W) particles a 4×2W (4×W)
        // register tile: 4×16/4×8 with 512-bit vectors (8 of 32 registers), 4×8/4×4 with 256-bit ones (8 of 16) ----
        // The products are separate non-inlined methods: Exp and Log are calls, and with them in the same method the
        // JIT spills the register tile to the stack on every k.
        private int RowsBlocked<TV>(int lo, int hi, double* logLik, double* gradBeta, double* gradAlpha)
            where TV : struct, IDoubleLanes<TV>
        {
            int d = D, s = S, w = TV.Count;
            var tile = stackalloc double[8 * w];
            int i = lo;
            for (; i + 4 <= hi; i += 4)
            {
                double* x0 = X + (long)i * d;
                int c = 0;
                for (; c + 2 * w <= s; c += 2 * w)
                {
                    Predictors4x2<TV>(x0, d, Beta + c, s, Alpha + c, tile);
                    Terms<TV>(tile, 2, Y + i, logLik + c, gradAlpha + c);
                    if (WithGradient) Gradient4x2<TV>(x0, d, tile, gradBeta + c, s);
                }
                if (c < s)
                {
                    Predictors4x1<TV>(x0, d, Beta + c, s, Alpha + c, tile);
                    Terms<TV>(tile, 1, Y + i, logLik + c, gradAlpha + c);
                    if (WithGradient) Gradient4x1<TV>(x0, d, tile, gradBeta + c, s);
                }
            }
            return i;
        }

        // The link terms of a 4-row tile of 2 or 1 vectors per row: log-likelihoods and residual sums added to the
        // outputs, the residuals left in the tile for the gradient.
        private void Terms<TV>(double* tile, int vectors, double* y, double* logLik, double* gradAlpha)
            where TV : struct, IDoubleLanes<TV>
        {
            int w = TV.Count, width = vectors * w;
            var ll0 = TV.Zero; var ll1 = ll0; var ga0 = ll0; var ga1 = ll0;
            for (int row = 0; row < 4; row++)
            {
                var yv = TV.Create(y[row]);
                double* t0 = tile + width * row;
                TLink.Terms(TV.Load(t0), yv, out var l0, out var r0);
                ll0 += l0; ga0 += r0;
                r0.Store(t0);
                if (vectors == 2)
                {
                    TLink.Terms(TV.Load(t0 + w), yv, out var l1, out var r1);
                    ll1 += l1; ga1 += r1;
                    r1.Store(t0 + w);
                }
            }
            (ll0 + TV.Load(logLik)).Store(logLik);
            if (vectors == 2) (ll1 + TV.Load(logLik + w)).Store(logLik + w);
            if (!WithGradient) return;
            (ga0 + TV.Load(gradAlpha)).Store(gradAlpha);
            if (vectors == 2) (ga1 + TV.Load(gradAlpha + w)).Store(gradAlpha + w);
        }

        // tile[2W·j + ·] = α + x_j·B for the 4 rows at x0 (row stride d), B = D×2W with row stride ldb.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Predictors4x2<TV>(double* x0, int d, double* beta, int ldb, double* alpha, double* tile)
            where TV : struct, IDoubleLanes<TV>
        {
            int w = TV.Count;
            double* x1 = x0 + d, x2 = x1 + d, x3 = x2 + d;
            var al0 = TV.Load(alpha); var al1 = TV.Load(alpha + w);
            TV e00 = al0, e01 = al1, e10 = al0, e11 = al1, e20 = al0, e21 = al1, e30 = al0, e31 = al1;
            double* bk = beta;
            for (int k = 0; k < d; k++, bk += ldb)
            {
                var b0 = TV.Load(bk); var b1 = TV.Load(bk + w);
                var v = TV.Create(x0[k]);
                e00 = TV.FusedMultiplyAdd(v, b0, e00); e01 = TV.FusedMultiplyAdd(v, b1, e01);
                v = TV.Create(x1[k]);
                e10 = TV.FusedMultiplyAdd(v, b0, e10); e11 = TV.FusedMultiplyAdd(v, b1, e11);
                v = TV.Create(x2[k]);
                e20 = TV.FusedMultiplyAdd(v, b0, e20); e21 = TV.FusedMultiplyAdd(v, b1, e21);
                v = TV.Create(x3[k]);
                e30 = TV.FusedMultiplyAdd(v, b0, e30); e31 = TV.FusedMultiplyAdd(v, b1, e31);
            }
            e00.Store(tile); e01.Store(tile + w); e10.Store(tile + 2 * w); e11.Store(tile + 3 * w);
            e20.Store(tile + 4 * w); e21.Store(tile + 5 * w); e30.Store(tile + 6 * w); e31.Store(tile + 7 * w);
        }

        // tile[W·j + ·] = α + x_j·B for the 4 rows at x0, B = D×W with row stride ldb.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Predictors4x1<TV>(double* x0, int d, double* beta, int ldb, double* alpha, double* tile)
            where TV : struct, IDoubleLanes<TV>
        {
            int w = TV.Count;
            double* x1 = x0 + d, x2 = x1 + d, x3 = x2 + d;
            var al = TV.Load(alpha);
            TV e0 = al, e1 = al, e2 = al, e3 = al;
            double* bk = beta;
            for (int k = 0; k < d; k++, bk += ldb)
            {
                var b = TV.Load(bk);
                e0 = TV.FusedMultiplyAdd(TV.Create(x0[k]), b, e0);
                e1 = TV.FusedMultiplyAdd(TV.Create(x1[k]), b, e1);
                e2 = TV.FusedMultiplyAdd(TV.Create(x2[k]), b, e2);
                e3 = TV.FusedMultiplyAdd(TV.Create(x3[k]), b, e3);
            }
            e0.Store(tile); e1.Store(tile + w); e2.Store(tile + 2 * w); e3.Store(tile + 3 * w);
        }

        // G[k, ·] += Σ_j x_j[k]·r_j for the 4 rows at x0 and their residuals in tile (4×2W); G has row stride ldg.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Gradient4x2<TV>(double* x0, int d, double* tile, double* gradBeta, int ldg)
            where TV : struct, IDoubleLanes<TV>
        {
            int w = TV.Count;
            double* x1 = x0 + d, x2 = x1 + d, x3 = x2 + d;
            var r00 = TV.Load(tile); var r01 = TV.Load(tile + w);
            var r10 = TV.Load(tile + 2 * w); var r11 = TV.Load(tile + 3 * w);
            var r20 = TV.Load(tile + 4 * w); var r21 = TV.Load(tile + 5 * w);
            var r30 = TV.Load(tile + 6 * w); var r31 = TV.Load(tile + 7 * w);
            double* gk = gradBeta;
            for (int k = 0; k < d; k++, gk += ldg)
            {
                var g0 = TV.Load(gk); var g1 = TV.Load(gk + w);
                var v = TV.Create(x0[k]);
                g0 = TV.FusedMultiplyAdd(v, r00, g0); g1 = TV.FusedMultiplyAdd(v, r01, g1);
                v = TV.Create(x1[k]);
                g0 = TV.FusedMultiplyAdd(v, r10, g0); g1 = TV.FusedMultiplyAdd(v, r11, g1);
                v = TV.Create(x2[k]);
                g0 = TV.FusedMultiplyAdd(v, r20, g0); g1 = TV.FusedMultiplyAdd(v, r21, g1);
                v = TV.Create(x3[k]);
                g0 = TV.FusedMultiplyAdd(v, r30, g0); g1 = TV.FusedMultiplyAdd(v, r31, g1);
                g0.Store(gk); g1.Store(gk + w);
            }
        }

        // G[k, ·] += Σ_j x_j[k]·r_j for the 4 rows at x0 and their residuals in tile (4×W); G has row stride ldg.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Gradient4x1<TV>(double* x0, int d, double* tile, double* gradBeta, int ldg)
            where TV : struct, IDoubleLanes<TV>
        {
            int w = TV.Count;
            double* x1 = x0 + d, x2 = x1 + d, x3 = x2 + d;
            var r0 = TV.Load(tile); var r1 = TV.Load(tile + w);
            var r2 = TV.Load(tile + 2 * w); var r3 = TV.Load(tile + 3 * w);
            double* gk = gradBeta;
            for (int k = 0; k < d; k++, gk += ldg)
            {
                // Two chains of two FMAs so the latency overlaps.
                var g = TV.FusedMultiplyAdd(TV.Create(x0[k]), r0, TV.Load(gk));
                var h = TV.Create(x1[k]) * r1;
                g = TV.FusedMultiplyAdd(TV.Create(x2[k]), r2, g);
                h = TV.FusedMultiplyAdd(TV.Create(x3[k]), r3, h);
                (g + h).Store(gk);
            }
        }

        // ---- any S, one row at a time: η row vectorized over S, link terms scalar ----
        private void GeneralRows(int lo, int hi, double* logLik, double* gradBeta, double* gradAlpha)
        {
            if (lo >= hi) return;
            int d = D, s = S;
            double[]? rented = s > 256 ? ArrayPool<double>.Shared.Rent(s) : null;
            Span<double> eta = rented is null ? stackalloc double[s] : rented.AsSpan(0, s);
            try
            {
                var alpha = new ReadOnlySpan<double>(Alpha, s);
                for (int i = lo; i < hi; i++)
                {
                    double* xi = X + (long)i * d;
                    alpha.CopyTo(eta);
                    for (int k = 0; k < d; k++)
                        Axpy(xi[k], Beta + (long)k * s, eta, s);
                    double yi = Y[i];
                    for (int j = 0; j < s; j++)
                    {
                        TLink.Terms(new DoubleLane(eta[j]), new DoubleLane(yi), out var l, out var r);
                        logLik[j] += l.Value;
                        eta[j] = r.Value; // reuse the buffer for the residuals
                    }
                    if (!WithGradient) continue;
                    for (int j = 0; j < s; j++) gradAlpha[j] += eta[j];
                    for (int k = 0; k < d; k++)
                    {
                        var row = new Span<double>(gradBeta + (long)k * s, s);
                        Axpy(xi[k], row, eta, s);
                    }
                }
            }
            finally { if (rented is not null) ArrayPool<double>.Shared.Return(rented); }
        }

        // dst += a·src over s elements (src at a pointer).
        private static void Axpy(double a, double* src, Span<double> dst, int s)
        {
            int j = 0;
            fixed (double* pd = dst)
            {
                if (VectorPaths.Vector512Enabled)
                {
                    var av = Vector512.Create(a);
                    for (; j + 8 <= s; j += 8)
                        Vector512.FusedMultiplyAdd(av, Vector512.Load(src + j), Vector512.Load(pd + j)).Store(pd + j);
                }
                else if (VectorPaths.Vector256Enabled)
                {
                    var av = Vector256.Create(a);
                    for (; j + 4 <= s; j += 4)
                        Vector256.FusedMultiplyAdd(av, Vector256.Load(src + j), Vector256.Load(pd + j)).Store(pd + j);
                }
            }
            for (; j < s; j++) dst[j] = Math.FusedMultiplyAdd(a, src[j], dst[j]);
        }

        // dst += a·src with the roles swapped (dst at a pointer, src a span).
        private static void Axpy(double a, Span<double> dst, ReadOnlySpan<double> src, int s)
        {
            fixed (double* ps = src) Axpy(a, ps, dst, s);
        }
    }
}
