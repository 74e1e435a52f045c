using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Vinfer.Data;
using Vinfer.Guides;
using Vinfer.Modeling;
using Vinfer.Models;
using Vinfer.Objectives;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>vinfer bench iw</c>: the cost of importance-weighted gradients (issue 9). On the built-in logistic regression
/// (N = 10,000, D = 20, synthetic data from a fixed seed) with a mean-field guide, it times one gradient step's work
/// (objective evaluation and backward pass, as <see cref="Inference.Svi.Step"/> does it) for the ELBO with 64
/// particles (sticking the landing, the fit's default), IWAE with K = 64 (reparameterized) and IWAE with K = 64 and
/// DReG (Tucker et al. 2019), and prints one JSON object per line with the milliseconds per gradient (median of the
/// repetitions) and the ratios to the ELBO's. Targets: IWAE ≤ 1.2×, DReG ≤ 1.5×.
/// </summary>
public static class BenchIw
{
    private const int N = 10_000, D = 20, K = 64;

    /// <summary>Builds the <c>iw</c> subcommand.</summary>
    public static Command Create()
    {
        var reps = new Option<int>("--reps") { Description = "Timed repetitions per workload (the median is reported).", DefaultValueFactory = _ => 7 };
        var command = new Command("iw", "Importance-weighted gradients on logistic regression N = 10,000, D = 20: ELBO (64 particles), IWAE (K = 64), DReG IWAE.") { reps };
        command.SetAction(pr =>
        {
            int r = pr.GetValue(reps);
            if (r < 1)
            {
                pr.InvocationConfiguration.Error.WriteLine($"vinfer bench iw: --reps must be at least 1, got {r}.");
                return 2;
            }
            Run(r, pr.InvocationConfiguration.Output);
            return 0;
        });
        return command;
    }

    /// <summary>Times the three gradients and writes the JSON lines.</summary>
    public static void Run(int reps, TextWriter output)
    {
        var program = new LogisticRegression().Bind(Data());
        var guide = new AutoNormal(program);
        var store = new ParamStore();
        using var _ = store.Use();
        guide.InitializeParameters();
        var workloads = new (string Name, IObjective Objective)[]
        {
            ("elbo_stl", new Elbo(K, stickingTheLanding: true)),
            ("iwae", new IwaeBound(K)),
            ("iwae_dreg", new IwaeBound(K, estimator: GradientEstimator.DoublyReparameterized)),
        };
        double elboMs = double.NaN;
        foreach (var (name, objective) in workloads)
        {
            double ms = Milliseconds(() =>
            {
                using var scope = new TensorScope();
                foreach (var (_, p) in store.Unconstrained) p.ZeroGrad();
                objective.Evaluate(program, guide.Run, guide.MaxPlateNesting, new RandomStream(3)).Loss.Backward();
            }, reps);
            if (name == "elbo_stl") elboMs = ms;
            output.WriteLine(FormattableString.Invariant(
                $"{{\"name\":\"{name}\",\"n\":{N},\"d\":{D},\"samples\":{K},\"ms_per_gradient\":{ms.ToString("G6", CultureInfo.InvariantCulture)},\"ratio_to_elbo\":{(ms / elboMs).ToString("G4", CultureInfo.InvariantCulture)}}}"));
            output.Flush();
        }
    }

    /// <summary>Median milliseconds per call over <paramref name="reps"/> timed batches of about 0.3 s after a warm-up.</summary>
    private static double Milliseconds(Action work, int reps)
    {
        var sw = Stopwatch.StartNew();
        int warm = 0;
        while (warm < 3 || sw.Elapsed.TotalSeconds < 0.2) { work(); warm++; }
        int batch = (int)Math.Clamp(0.3 / (sw.Elapsed.TotalSeconds / warm), 1, 100_000);
        var times = new double[reps];
        for (int r = 0; r < reps; r++)
        {
            sw.Restart();
            for (int i = 0; i < batch; i++) work();
            times[r] = sw.Elapsed.TotalMilliseconds / batch;
        }
        Array.Sort(times);
        return times[reps / 2];
    }

    /// <summary>X ~ N(0, 1), β* ~ N(0, 1/D), α* = 0.3, y ~ Bernoulli(σ(α* + Xβ*)), from counter-based streams (seed 20261130).</summary>
    private static StanData Data()
    {
        var stream = new RandomStream(20261130);
        var flat = new double[N * D];
        Sample.Normal(stream.NextKey(), flat);
        var truth = new double[D];
        Sample.Normal(stream.NextKey(), 0, 1 / Math.Sqrt(D), truth);
        var u = new double[N];
        Sample.Uniform(stream.NextKey(), u);
        var x = new double[N, D];
        var y = new int[N];
        for (int i = 0; i < N; i++)
        {
            double eta = 0.3;
            for (int k = 0; k < D; k++) { x[i, k] = flat[i * D + k]; eta += x[i, k] * truth[k]; }
            y[i] = u[i] < 1 / (1 + Math.Exp(-eta)) ? 1 : 0;
        }
        return StanData.FromValues([new("N", N), new("D", D), new("X", x), new("y", y)], "bench iw synthetic data");
    }
}
