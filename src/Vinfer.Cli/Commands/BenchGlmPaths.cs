using System.Diagnostics;
using System.Runtime.Intrinsics;
using Vinfer.Cli.Infrastructure;
using Vinfer.Likelihoods;
using Vinfer.Random;
using Vinfer.Tensors.Kernels;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>vinfer bench ad --glm-paths</c>: the fused logistic-regression kernel (<see cref="GlmKernel{TLink}"/>, value and
/// gradient, one thread) on each of its paths in one process: 512-bit blocked, 256-bit blocked (what an AVX2-only CPU
/// runs) and the scalar rows, forced through <see cref="VectorPaths.Restrict"/>. Rounds interleave the paths, so the
/// ratios compare runs under the same load; each figure is the median over rounds. Two sizes: the
/// <c>logistic_regression</c> fit (N = 10,000, D = 20; X is 1.6 MB and stays in the 2 MB L2 between evaluations) and a
/// memory-bound one (N = 100,000, D = 100; 80 MB), with S = 1 and S = 8 (the fit's default particles), and N = 10,000
/// with D = 0 (the link terms alone: an exp, a log and a division per row and particle). Floors: the
/// bytes of X read per gradient over the measured read bandwidth, and the 4·N·D·S flops of the two products over the
/// core's peak at the path's width (2 FMA ports × lanes × 2 flops × the nominal clock from /proc/cpuinfo).
/// </summary>
internal static class BenchGlmPaths
{
    // D = 0 times the link terms alone (η = α, no products): the part of the D = 20 figure the products cannot explain.
    private static readonly (int N, int D)[] Sizes = [(10_000, 20), (10_000, 0), (100_000, 100)];
    private static readonly int[] Particles = [1, 8];

    /// <summary>Runs every size, particle count and available path; one JSON line per path.</summary>
    public static void Run(int reps, double readBytesPerSecond, TextWriter output)
    {
        var paths = new List<int>();
        if (Vector512.IsHardwareAccelerated) paths.Add(512);
        if (Vector256.IsHardwareAccelerated) paths.Add(256);
        paths.Add(0);
        double clockHz = NominalClockHz();
        foreach (var (n, d) in Sizes)
        {
            var data = d > 0 ? BenchAd.LogisticData.Generate(n, d, seed: 20261122)
                : BenchAd.LogisticData.Generate(n, 1, seed: 20261122) with { X = [] };
            foreach (int s in Particles)
            {
                var stream = new RandomStream(11 + (ulong)s);
                var beta = new double[d * s];
                Sample.Normal(stream.NextKey(), 0, 0.1, beta);
                var alpha = new double[s];
                Sample.Normal(stream.NextKey(), 0, 0.1, alpha);
                var logLik = new double[s];
                var gradBeta = new double[d * s];
                var gradAlpha = new double[s];
                void Gradient() => GlmKernel<BernoulliLogitLink>.Evaluate(n, d, s, data.X, data.Y, alpha, beta, logLik,
                    gradBeta, gradAlpha, withGradient: true, maxThreads: 1);

                // Warm every path (JIT tiers) and size a batch of about 0.1 s on the slowest, then interleave rounds.
                var batch = new Dictionary<int, int>();
                foreach (int bits in paths)
                    using (VectorPaths.Restrict(bits))
                    {
                        var sw = Stopwatch.StartNew();
                        int calls = 0;
                        while (calls < 3 || sw.Elapsed.TotalSeconds < 0.2) { Gradient(); calls++; }
                        batch[bits] = (int)Math.Clamp(0.1 / (sw.Elapsed.TotalSeconds / calls), 1, 100_000);
                    }
                var rates = paths.ToDictionary(p => p, _ => new double[reps]);
                for (int round = 0; round < reps; round++)
                    foreach (int bits in paths)
                        using (VectorPaths.Restrict(bits))
                        {
                            var sw = Stopwatch.StartNew();
                            for (int i = 0; i < batch[bits]; i++) Gradient();
                            rates[bits][round] = batch[bits] / sw.Elapsed.TotalSeconds;
                        }
                double scalarRate = Median(rates[0]);
                foreach (int bits in paths)
                {
                    double rate = Median(rates[bits]);
                    int lanes = bits == 0 ? 1 : bits / 64;
                    double readFloor = (double)n * d * sizeof(double) / readBytesPerSecond;
                    double flopFloor = 4.0 * n * d * s / (clockHz * 2 * lanes * 2);
                    output.WriteLine(JsonLine.Of(("name", "glm_path"), ("n", n), ("d", d), ("s", s), ("bits", bits),
                        ("us_per_grad", 1e6 / rate), ("speedup_over_scalar", rate / scalarRate),
                        ("read_floor_us", readFloor * 1e6), ("flop_floor_us", flopFloor * 1e6),
                        ("gbytes_per_sec_of_x", (double)n * d * sizeof(double) * rate / 1e9),
                        ("gflops", 4.0 * n * d * s * rate / 1e9), ("floor_fraction", Math.Max(readFloor, flopFloor) * rate),
                        ("rounds", reps)));
                    output.Flush();
                }
            }
        }
    }

    private static double Median(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        int m = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[m] : 0.5 * (sorted[m - 1] + sorted[m]);
    }

    /// <summary>The nominal clock (first "cpu MHz" of /proc/cpuinfo), or 2 GHz where that file is missing.</summary>
    private static double NominalClockHz()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("cpu MHz", StringComparison.Ordinal))
                    return double.Parse(line[(line.IndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture) * 1e6;
        }
        catch (IOException) { }
        return 2e9;
    }
}
