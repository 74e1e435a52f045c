using System.Diagnostics;
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

    private double[] _a = [], _b = [], _c = [];

    /// <summary>The shape under test.</summary>
    [ParamsSource(nameof(Shapes))]
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
        Console.WriteLine($"{"shape",-24} {"managed-1t",11} {"managed",11} {"openblas",11} {"managed/openblas",17}");
        foreach (var s in Shapes)
        {
            var (a, b, c) = Allocate(s);
            double m1 = Measure(BlasBackend.Managed, s, a, b, c, 1);
            double mt = Measure(BlasBackend.Managed, s, a, b, c, Environment.ProcessorCount);
            double ob = Blas.IsOpenBlasAvailable ? Measure(BlasBackend.OpenBlas, s, a, b, c, Environment.ProcessorCount) : double.NaN;
            Console.WriteLine($"{s.Name,-24} {m1,11:F1} {mt,11:F1} {ob,11:F1} {mt / ob,17:F2}");
        }
    }

    private static double Measure(BlasBackend backend, Shape s, double[] a, double[] b, double[] c, int threads)
    {
        Run(backend, s, a, b, c, threads);
        var sw = new Stopwatch();
        double best = double.MaxValue;
        for (int round = 0; round < 7; round++)
        {
            int reps = 0;
            sw.Restart();
            do { Run(backend, s, a, b, c, threads); reps++; } while (sw.Elapsed.TotalMilliseconds < 150);
            best = Math.Min(best, sw.Elapsed.TotalSeconds / reps);
        }
        return s.Flops / best / 1e9;
    }
}
