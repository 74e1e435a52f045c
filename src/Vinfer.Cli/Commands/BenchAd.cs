using Vinfer.Cli.Infrastructure;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Vinfer.Likelihoods;
using Vinfer.Random;
using Vinfer.Tensors;
using Vinfer.Tensors.Kernels;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>vinfer bench ad</c>: the automatic-differentiation benchmark of issue 2. Prints one JSON object per line:
/// the machine's floors (large-array copy bandwidth, dgemm rate), the gradient of the Bayesian logistic-regression
/// log joint for S = 1 and S = 16 coefficient samples with its fraction of the roofline, and the per-op overhead on
/// tiny tensors. Data are generated from a fixed seed in memory. Each figure is the median of several timed
/// repetitions after a warm-up (the floors take the best repetition: they estimate what the hardware can do).
/// </summary>
public static class BenchAd
{
    private const int N = 100_000, D = 100;

    /// <summary>Builds the <c>ad</c> subcommand.</summary>
    public static Command Create()
    {
        var reps = new Option<int>("--reps") { Description = "Timed repetitions per workload (the median is reported).", DefaultValueFactory = _ => 7 };
        var particlesOnly = new Option<bool>("--particles-only") { Description = "Run only the particle-count sweep (S = 1, 4, 8, 12, 16, 32 at N = 200,000, D = 50)." };
        var glmPaths = new Option<bool>("--glm-paths") { Description = "Run only the fused GLM kernel on each vector path (512-bit, 256-bit, scalar) forced in turn, against its floors." };
        var command = new Command("ad", "Autodiff benchmark: copy bandwidth, dgemm, logistic-regression gradients (S = 1, 16), the particle-count sweep, tiny-op overhead.") { reps, particlesOnly, glmPaths };
        command.SetAction(pr =>
        {
            int r = pr.GetValue(reps);
            if (r < 1)
            {
                Console.Error.WriteLine($"vinfer bench ad: --reps must be at least 1, got {r}.");
                return 2;
            }
            if (pr.GetValue(glmPaths)) BenchGlmPaths.Run(r, ReadBandwidth().BytesPerSecond, Console.Out);
            else if (pr.GetValue(particlesOnly)) ParticleSweep(r, Console.Out);
            else Run(r, Console.Out);
            return 0;
        });
        return command;
    }

    /// <summary>Runs every workload and writes the JSON lines.</summary>
    public static void Run(int reps, TextWriter output)
    {
        var (bandwidth, copyThreads) = CopyBandwidth();
        output.WriteLine(JsonLine.Of(("name", "copy_bandwidth"), ("gbytes_per_sec", bandwidth / 1e9), ("threads", copyThreads)));
        output.Flush();
        // A gradient only reads X; a read-only stream is the tighter floor for it (copy bandwidth counts the writes too).
        var (readBandwidth, readThreads) = ReadBandwidth();
        output.WriteLine(JsonLine.Of(("name", "read_bandwidth"), ("gbytes_per_sec", readBandwidth / 1e9), ("threads", readThreads)));
        output.Flush();

        double gflops = DgemmRate(out int gemmN);
        output.WriteLine(JsonLine.Of(("name", "dgemm"), ("gflops", gflops / 1e9), ("n", gemmN), ("backend", Blas.Backend.ToString())));
        output.Flush();

        var data = LogisticData.Generate(N, D, seed: 20261122);
        foreach (int s in new[] { 1, 16 })
        {
            // Like the PyTorch peer, try one thread and every core and report the faster (results are bit-identical).
            double rate = 0; int threads = 1;
            int saved = Glm.MaxThreads;
            try
            {
                foreach (int t in Environment.ProcessorCount > 1 ? new[] { 1, Environment.ProcessorCount } : new[] { 1 })
                {
                    Glm.MaxThreads = t;
                    double r = LogRegGradientsPerSecond(data, N, D, s, reps);
                    if (r > rate) { rate = r; threads = t; }
                }
            }
            finally { Glm.MaxThreads = saved; }
            double memoryFloor = (double)N * D * 8 / bandwidth;
            double flopFloor = 4.0 * N * D * s / gflops;
            double readFloor = (double)N * D * 8 / readBandwidth;
            double floor = Math.Max(memoryFloor, flopFloor);
            output.WriteLine(JsonLine.Of(("name", "logreg_grad"), ("n", N), ("d", D), ("s", s), ("grads_per_sec", rate),
                ("roofline_fraction", floor * rate), ("memory_floor_ms", memoryFloor * 1e3), ("flop_floor_ms", flopFloor * 1e3),
                ("read_floor_ms", readFloor * 1e3), ("read_roofline_fraction", Math.Max(readFloor, flopFloor) * rate),
                ("threads", threads)));
            output.Flush();
        }

        ParticleSweep(reps, output);

        output.WriteLine(JsonLine.Of(("name", "tiny_op"), ("ns_per_op", TinyOpNanoseconds(reps))));
        output.Flush();
    }

    /// <summary>The particle counts of the sweep: every one must be on a vectorized path of the fused GLM kernel.</summary>
    public static readonly int[] SweepParticles = [1, 4, 8, 12, 16, 32];

    /// <summary>
    /// The cost of a logistic-regression gradient across particle counts at the size of issue 14 (N = 200,000,
    /// D = 50): milliseconds per 100 gradients (one SVI step each) and the ratio to S = 1, on every core.
    /// </summary>
    public static void ParticleSweep(int reps, TextWriter output)
    {
        const int n = 200_000, d = 50;
        var data = LogisticData.Generate(n, d, seed: 20261201);
        double baseline = 0;
        foreach (int s in SweepParticles)
        {
            double rate = LogRegGradientsPerSecond(data, n, d, s, reps);
            double ms = 100 / rate * 1e3;
            if (s == 1) baseline = ms;
            output.WriteLine(JsonLine.Of(("name", "logreg_particles"), ("n", n), ("d", d), ("s", s),
                ("ms_per_100_grads", ms), ("ratio_to_s1", ms / baseline), ("threads", Glm.MaxThreads)));
            output.Flush();
        }
    }

    // ---- floors ----

    /// <summary>
    /// Bytes moved per second (read + written) copying a 256 MiB array into another, best over repetitions, with one
    /// thread and with every core (each copying a contiguous half); the better is the machine's bandwidth.
    /// </summary>
    private static (double BytesPerSecond, int Threads) CopyBandwidth()
    {
        const int count = 256 * 1024 * 1024 / sizeof(double);
        var src = GC.AllocateUninitializedArray<double>(count);
        var dst = GC.AllocateUninitializedArray<double>(count);
        src.AsSpan().Fill(1.0); // touch every page before timing
        dst.AsSpan().Clear();
        double best = 0; int bestThreads = 1;
        for (int threads = 1; threads <= Math.Max(1, Environment.ProcessorCount); threads++)
        {
            for (int rep = 0; rep < 4; rep++)
            {
                var sw = Stopwatch.StartNew();
                if (threads == 1) src.AsSpan().CopyTo(dst);
                else Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, p =>
                {
                    int lo = (int)((long)count * p / threads), hi = (int)((long)count * (p + 1) / threads);
                    src.AsSpan(lo, hi - lo).CopyTo(dst.AsSpan(lo, hi - lo));
                });
                double rate = 2.0 * count * sizeof(double) / sw.Elapsed.TotalSeconds;
                if (rate > best) { best = rate; bestThreads = threads; }
            }
        }
        return (best, bestThreads);
    }

    /// <summary>
    /// Bytes read per second summing a 256 MiB array, best over repetitions, with one thread and with every core (each
    /// summing a contiguous share).
    /// </summary>
    private static (double BytesPerSecond, int Threads) ReadBandwidth()
    {
        const int count = 256 * 1024 * 1024 / sizeof(double);
        var src = GC.AllocateUninitializedArray<double>(count);
        src.AsSpan().Fill(1.0); // touch every page before timing
        double best = 0; int bestThreads = 1;
        double sink = 0;
        for (int threads = 1; threads <= Math.Max(1, Environment.ProcessorCount); threads++)
        {
            for (int rep = 0; rep < 4; rep++)
            {
                var parts = new double[threads];
                var sw = Stopwatch.StartNew();
                Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, p =>
                {
                    int lo = (int)((long)count * p / threads), hi = (int)((long)count * (p + 1) / threads);
                    parts[p] = System.Numerics.Tensors.TensorPrimitives.Sum<double>(src.AsSpan(lo, hi - lo));
                });
                double rate = (double)count * sizeof(double) / sw.Elapsed.TotalSeconds;
                sink += parts[0];
                if (rate > best) { best = rate; bestThreads = threads; }
            }
        }
        GC.KeepAlive(sink);
        return (best, bestThreads);
    }

    /// <summary>Flops per second of a square dgemm through <see cref="Blas.Gemm(bool, bool, int, int, int, double, ReadOnlySpan{double}, int, ReadOnlySpan{double}, int, double, Span{double}, int)"/> (the library's dispatcher), best of five.</summary>
    private static double DgemmRate(out int n)
    {
        n = 1536;
        var a = new double[n * n]; var b = new double[n * n]; var c = new double[n * n];
        Sample.Uniform(new RandomKey(1), -1, 1, a);
        Sample.Uniform(new RandomKey(2), -1, 1, b);
        Blas.Gemm(false, false, n, n, n, 1.0, a, n, b, n, 0.0, c, n); // warm-up
        double best = 0;
        for (int rep = 0; rep < 5; rep++)
        {
            var sw = Stopwatch.StartNew();
            Blas.Gemm(false, false, n, n, n, 1.0, a, n, b, n, 0.0, c, n);
            best = Math.Max(best, 2.0 * n * n * n / sw.Elapsed.TotalSeconds);
        }
        return best;
    }

    // ---- the logistic-regression gradient ----

    /// <summary>
    /// Gradients per second of log p(y, α, β) = Σ_s [Σᵢ log Bernoulli(yᵢ | σ(α_s + xᵢ·β_s)) + log N(β_s | 0, I) + log N(α_s | 0, 1)]
    /// with respect to α and β, through the fused GLM op and the tensor engine's autodiff, one evaluation covering all
    /// S samples. Each timed repetition runs enough evaluations to last about 0.2 s.
    /// </summary>
    private static double LogRegGradientsPerSecond(LogisticData data, int n, int d, int s, int reps)
    {
        var x = Tensor.Wrap(data.X, n, d);
        var y = Tensor.Wrap(data.Y, n);
        var stream = new RandomStream(7 + (ulong)s);
        var betaValues = new double[d * s];
        Sample.Normal(stream.NextKey(), 0, 0.1, betaValues);
        var alphaValues = new double[s];
        Sample.Normal(stream.NextKey(), 0, 0.1, alphaValues);
        var beta = s == 1 ? Tensor.Parameter(betaValues, d) : Tensor.Parameter(betaValues, d, s);
        var alpha = s == 1 ? Tensor.Parameter(alphaValues, []) : Tensor.Parameter(alphaValues, s);
        double logNormalConstant = -0.5 * Math.Log(2 * Math.PI) * (d + 1) * s;

        void Gradient()
        {
            beta.ZeroGrad();
            alpha.ZeroGrad();
            using var scope = new TensorScope();
            var likelihood = Glm.BernoulliLogit(x, y, alpha, beta).Sum();
            var prior = (beta.Square().Sum() + alpha.Square().Sum()) * -0.5 + logNormalConstant;
            var logJoint = likelihood + prior;
            logJoint.Backward();
        }

        return Rate(Gradient, reps, targetSeconds: 0.2, out _);
    }

    /// <summary>
    /// Calls per second of <paramref name="work"/>: warm up, pick a batch lasting about <paramref name="targetSeconds"/>,
    /// and return the median rate over <paramref name="reps"/> timed batches.
    /// </summary>
    private static double Rate(Action work, int reps, double targetSeconds, out int batch)
    {
        var sw = Stopwatch.StartNew();
        int warm = 0;
        while (warm < 3 || sw.Elapsed.TotalSeconds < 0.1) { work(); warm++; }
        double perCall = sw.Elapsed.TotalSeconds / warm;
        batch = (int)Math.Clamp(targetSeconds / perCall, 1, 1_000_000);
        var rates = new double[reps];
        for (int r = 0; r < reps; r++)
        {
            sw.Restart();
            for (int i = 0; i < batch; i++) work();
            rates[r] = batch / sw.Elapsed.TotalSeconds;
        }
        Array.Sort(rates);
        return reps % 2 == 1 ? rates[reps / 2] : 0.5 * (rates[reps / 2 - 1] + rates[reps / 2]);
    }

    // ---- per-op overhead ----

    /// <summary>
    /// Nanoseconds per op on 2-element tensors: a chain of 1,000 alternating multiplies and adds on parameters
    /// (each recording a graph node), summed, then backward, inside a pooled <see cref="TensorScope"/>; the total time
    /// (forward and backward) divided by the number of forward ops.
    /// </summary>
    private static double TinyOpNanoseconds(int reps)
    {
        const int pairs = 500;
        var a = Tensor.Parameter([0.5, -0.25], 2);
        var b = Tensor.Parameter([0.999, 1.001], 2);
        void Chain()
        {
            a.ZeroGrad();
            b.ZeroGrad();
            using var scope = new TensorScope();
            var t = a;
            for (int i = 0; i < pairs; i++) t = t * b + a;
            t.Sum().Backward();
        }
        double chainsPerSecond = Rate(Chain, reps, targetSeconds: 0.2, out _);
        return 1e9 / chainsPerSecond / (2 * pairs + 1);
    }

    // ---- output ----


    /// <summary>
    /// Synthetic logistic-regression data: X ~ N(0, 1) entries, true coefficients β* ~ N(0, 1/D), intercept 0,
    /// yᵢ ~ Bernoulli(σ(xᵢ·β*)). Counter-based streams, so the data depend only on the seed.
    /// </summary>
    internal sealed record LogisticData(double[] X, double[] Y)
    {
        public static LogisticData Generate(int n, int d, ulong seed)
        {
            var stream = new RandomStream(seed);
            var x = GC.AllocateUninitializedArray<double>(n * d);
            Sample.Normal(stream.NextKey(), x);
            var truth = new double[d];
            Sample.Normal(stream.NextKey(), 0, 1 / Math.Sqrt(d), truth);
            var u = new double[n];
            Sample.Uniform(stream.NextKey(), u);
            var y = new double[n];
            for (int i = 0; i < n; i++)
            {
                double eta = 0;
                for (int k = 0; k < d; k++) eta += x[i * d + k] * truth[k];
                y[i] = u[i] < SpecialFunctions.Sigmoid(eta) ? 1 : 0;
            }
            return new LogisticData(x, y);
        }
    }
}
