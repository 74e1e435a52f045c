using System.Diagnostics;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using Vinfer.Tensors.Kernels;

namespace Vinfer.Benchmarks;

/// <summary>
/// GEMM/GEMV throughput of the managed kernel and of OpenBLAS on the shapes the tensor engine meets:
/// a square 1000³ product, the logistic-regression forward X·W (100,000×100 · 100×16), its backward Xᵀ·G
/// (100×100,000 · 100,000×16) and the S = 1 matrix-vector products X·w and Xᵀ·g.
/// <c>dotnet run -c Release --project bench/Vinfer.Benchmarks -- --filter '*MatMul*'</c> runs it under
/// BenchmarkDotNet; <c>-- matmul-gflops</c> prints a quick GFLOPS table of both backends instead.
/// </summary>
[MemoryDiagnoser]
public class MatMulBenchmarks
{
    /// <summary>One benchmark shape: GEMM when N &gt; 0 and not Gemv, otherwise a GEMV over the m×k matrix.</summary>
    public sealed record Shape(string Name, bool TransA, int M, int N, int K, bool Gemv = false)
    {
        /// <summary>Floating-point operations of one call (a multiply-add counts 2).</summary>
        public double Flops => Gemv ? 2.0 * M * K : 2.0 * M * N * K;

        /// <inheritdoc />
        public override string ToString() => Name;
    }

    /// <summary>The shapes measured.</summary>
    public static readonly Shape[] Shapes =
    [
        new("square_1000", false, 1000, 1000, 1000),
        new("X_W_100000x100x16", false, 100_000, 16, 100),
        new("Xt_G_100x100000x16", true, 100, 16, 100_000),
        new("gemv_X_w_100000x100", false, 100_000, 1, 100, Gemv: true),
        new("gemv_Xt_g_100000x100", true, 100_000, 1, 100, Gemv: true),
    ];

    /// <summary>The shapes, as BenchmarkDotNet's parameter source (it needs a property).</summary>
    public static IEnumerable<Shape> AllShapes => Shapes;

    private double[] _a = [], _b = [], _c = [];

    /// <summary>The shape under test.</summary>
    [ParamsSource(nameof(AllShapes))]
    public Shape Case { get; set; } = Shapes[0];

    /// <summary>The backend under test.</summary>
    [Params(BlasBackend.Managed, BlasBackend.OpenBlas)]
    public BlasBackend Backend { get; set; }

    /// <summary>Allocates and fills the operands.</summary>
    [GlobalSetup]
    public void Setup() => (_a, _b, _c) = Allocate(Case);

    /// <summary>One product.</summary>
    [Benchmark]
    public void Product() => Run(Backend, Case, _a, _b, _c, Blas.MaxThreads);

    private static (double[] A, double[] B, double[] C) Allocate(Shape s)
    {
        var rng = new System.Random(1);
        // GEMV: A is the stored M×K matrix, x and y the vectors.
        var a = new double[(long)s.M * s.K];
        var b = new double[s.Gemv ? (s.TransA ? s.M : s.K) : s.K * s.N];
        var c = new double[s.Gemv ? (s.TransA ? s.K : s.M) : s.M * s.N];
        for (int i = 0; i < a.Length; i++) a[i] = rng.NextDouble() - 0.5;
        for (int i = 0; i < b.Length; i++) b[i] = rng.NextDouble() - 0.5;
        return (a, b, c);
    }

    private static void Run(BlasBackend backend, Shape s, double[] a, double[] b, double[] c, int threads)
    {
        if (s.Gemv)
            Blas.GemvUnchecked(backend, s.TransA, s.M, s.K, 1.0, a, s.K, b, 0.0, c, threads);
        else
            Blas.GemmUnchecked(backend, s.TransA, false, s.M, s.N, s.K, 1.0, a, s.TransA ? s.M : s.K, b, s.N, 0.0, c, s.N, threads);
    }

    /// <summary>
    /// Quick table: best-of-repeats GFLOPS per shape, backend and managed thread count, and the managed/OpenBLAS ratio.
    /// </summary>
    public static void PrintGflops()
    {
        Console.WriteLine($"# OpenBLAS: {(Blas.IsOpenBlasAvailable ? $"{Blas.OpenBlasPath}, {Blas.OpenBlasThreads} threads" : "absent")}; " +
                          $"processors: {Environment.ProcessorCount}; OPENBLAS_NUM_THREADS={Environment.GetEnvironmentVariable("OPENBLAS_NUM_THREADS") ?? "(unset)"}");
        Console.WriteLine($"# measured FMA peak, one core: {FmaPeakGflops():F1} GFLOPS (AVX-512: {Vector512.IsHardwareAccelerated})");
        Console.WriteLine($"# tiny Blas.Gemm 4×4×4: {TinyGemmNanoseconds():F0} ns per call");
        Console.WriteLine($"{"shape",-24} {"managed-1t",11} {"managed",11} {"openblas",11} {"managed/openblas",17}");
        foreach (var s in Shapes)
        {
            var (a, b, c) = Allocate(s);
            // Interleaved rounds, best time per configuration: on a shared machine every configuration sees the
            // same background load, so the ratio is fairer than from back-to-back blocks.
            var configs = new (BlasBackend Backend, int Threads)[]
            {
                (BlasBackend.Managed, 1), (BlasBackend.Managed, Environment.ProcessorCount), (BlasBackend.OpenBlas, Environment.ProcessorCount),
            };
            var best = new double[configs.Length];
            Array.Fill(best, double.MaxValue);
            for (int round = 0; round < 9; round++)
                for (int i = 0; i < configs.Length; i++)
                {
                    if (configs[i].Backend == BlasBackend.OpenBlas && !Blas.IsOpenBlasAvailable) continue;
                    best[i] = Math.Min(best[i], SecondsPerCall(configs[i].Backend, s, a, b, c, configs[i].Threads, round == 0));
                }
            double m1 = s.Flops / best[0] / 1e9, mt = s.Flops / best[1] / 1e9;
            double ob = Blas.IsOpenBlasAvailable ? s.Flops / best[2] / 1e9 : double.NaN;
            Console.WriteLine($"{s.Name,-24} {m1,11:F1} {mt,11:F1} {ob,11:F1} {mt / ob,17:F2}");
        }
    }

    /// <summary>Nanoseconds per public <see cref="Blas.Gemm"/> call on 4×4 operands (validation and dispatch included).</summary>
    public static double TinyGemmNanoseconds()
    {
        var a = new double[16];
        var b = new double[16];
        var c = new double[16];
        for (int i = 0; i < 16; i++) { a[i] = i; b[i] = 1.0 / (i + 1); }
        double best = double.MaxValue;
        for (int round = 0; round < 7; round++)
        {
            const int calls = 200_000;
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < calls; i++) Blas.Gemm(false, false, 4, 4, 4, 1, a, 4, b, 4, 0, c, 4);
            best = Math.Min(best, sw.Elapsed.TotalSeconds * 1e9 / calls);
        }
        return best;
    }

    /// <summary>Average seconds per call over about 100 ms (after one warm-up call when asked).</summary>
    private static double SecondsPerCall(BlasBackend backend, Shape s, double[] a, double[] b, double[] c, int threads, bool warmUp)
    {
        if (warmUp) Run(backend, s, a, b, c, threads);
        int reps = 0;
        var sw = Stopwatch.StartNew();
        do { Run(backend, s, a, b, c, threads); reps++; } while (sw.Elapsed.TotalMilliseconds < 100);
        return sw.Elapsed.TotalSeconds / reps;
    }

    /// <summary>
    /// Measured FMA peak of one core: 16 independent 8-lane FMA chains in registers (enough to cover latency × the
    /// number of FMA pipes), 2 flops per lane per FMA.
    /// </summary>
    public static double FmaPeakGflops()
    {
        static double Run(long iterations)
        {
            var x = Vector512.Create(1.0 + 1e-9);
            var y = Vector512.Create(1e-12);
            Vector512<double> a0 = x, a1 = x, a2 = x, a3 = x, a4 = x, a5 = x, a6 = x, a7 = x;
            Vector512<double> a8 = x, a9 = x, a10 = x, a11 = x, a12 = x, a13 = x, a14 = x, a15 = x;
            for (long i = 0; i < iterations; i++)
            {
                a0 = Vector512.FusedMultiplyAdd(a0, x, y); a1 = Vector512.FusedMultiplyAdd(a1, x, y);
                a2 = Vector512.FusedMultiplyAdd(a2, x, y); a3 = Vector512.FusedMultiplyAdd(a3, x, y);
                a4 = Vector512.FusedMultiplyAdd(a4, x, y); a5 = Vector512.FusedMultiplyAdd(a5, x, y);
                a6 = Vector512.FusedMultiplyAdd(a6, x, y); a7 = Vector512.FusedMultiplyAdd(a7, x, y);
                a8 = Vector512.FusedMultiplyAdd(a8, x, y); a9 = Vector512.FusedMultiplyAdd(a9, x, y);
                a10 = Vector512.FusedMultiplyAdd(a10, x, y); a11 = Vector512.FusedMultiplyAdd(a11, x, y);
                a12 = Vector512.FusedMultiplyAdd(a12, x, y); a13 = Vector512.FusedMultiplyAdd(a13, x, y);
                a14 = Vector512.FusedMultiplyAdd(a14, x, y); a15 = Vector512.FusedMultiplyAdd(a15, x, y);
            }
            var s = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11)) + ((a12 + a13) + (a14 + a15));
            return Vector512.Sum(s);
        }

        Run(1000);
        const long n = 20_000_000;
        double best = double.MaxValue, sink = 0;
        for (int round = 0; round < 5; round++)
        {
            var sw = Stopwatch.StartNew();
            sink += Run(n);
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        GC.KeepAlive(sink);
        return n * 16 * 8 * 2 / best / 1e9;
    }
}
