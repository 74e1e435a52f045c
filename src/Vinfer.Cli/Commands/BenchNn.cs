using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Vinfer.Cli.Infrastructure;
using Vinfer.Modeling;
using Vinfer.Nn;
using Vinfer.Optim;
using Vinfer.Random;
using Vinfer.Tensors;
using Vinfer.Tensors.Kernels;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>vinfer bench nn</c>: the neural-network benchmark of issue 10. One training step (forward, backward, Adam) of
/// four networks, the same as the PyTorch peer bench/peers/nn_steps.py: an MLP 784-200-200-100 with tanh, batch 100
/// (<c>mlp_step</c>); the IWAE VAE step with k = 5, batch 100 (<c>vae_step</c>); a 3-layer conv net on 28×28
/// (<c>conv_step</c>); a 2-block SAB on 2 sets of 1,000 points, width 64, 4 heads (<c>sab_step</c>). Each workload runs
/// in float64 and with the layers in <see cref="Precision.Float32"/> (the <c>dtype</c> field says which). Each figure is the best mean over rounds of steps after a warm-up, with the managed kernels'
/// thread limit at 1 and at every core (the faster is reported, as the peer does). One JSON object per line.
/// </summary>
public static class BenchNn
{
    /// <summary>Builds the <c>nn</c> subcommand.</summary>
    public static Command Create()
    {
        var rounds = new Option<int>("--rounds") { Description = "Timed rounds per workload and thread count (the best is reported).", DefaultValueFactory = _ => 5 };
        var only = new Option<string?>("--only") { Description = "Run one workload: mlp_step, vae_step, conv_step or sab_step." };
        var profile = new Option<bool>("--profile") { Description = "Also print the forward/backward/optimizer split of each step." };
        var precision = new Option<string>("--precision") { Description = "float64, float32 or both (the layers' arithmetic; default both).", DefaultValueFactory = _ => "both" };
        var command = new Command("nn", "Neural-network training steps: MLP, VAE (IWAE k = 5), conv net, Set Transformer SAB.") { rounds, only, profile, precision };
        command.SetAction(pr =>
        {
            int r = pr.GetValue(rounds);
            string? name = pr.GetValue(only);
            if (r < 1) return CliError.Report(pr, $"--rounds must be at least 1, got {r}.");
            if (name is not null && !Workloads.ContainsKey(name))
                return CliError.Report(pr, $"unknown workload '{name}'; expected one of {string.Join(", ", Workloads.Keys)}.");
            Precision[]? precisions = pr.GetValue(precision) switch
            {
                "float64" => [Precision.Float64],
                "float32" => [Precision.Float32],
                "both" => [Precision.Float64, Precision.Float32],
                _ => null,
            };
            if (precisions is null) return CliError.Report(pr, $"--precision must be float64, float32 or both, got '{pr.GetValue(precision)}'.");
            Run(r, name, pr.GetValue(profile), pr.InvocationConfiguration.Output, precisions);
            return 0;
        });
        return command;
    }

    /// <summary>A training step split into its phases (forward to the loss, backward, optimizer).</summary>
    private sealed record Step(Func<Tensor> Loss, Action Update);

    private static readonly Dictionary<string, Func<Precision, Step>> Workloads = new()
    {
        ["mlp_step"] = MlpStep,
        ["vae_step"] = VaeStep,
        ["conv_step"] = ConvStep,
        ["sab_step"] = SabStep,
    };

    /// <summary>Runs the workloads and writes the JSON lines.</summary>
    public static void Run(int rounds, string? only, bool profile, TextWriter output, IReadOnlyList<Precision>? precisions = null)
    {
        foreach (var (name, makeIn) in Workloads)
        foreach (var precision in precisions ?? [Precision.Float64, Precision.Float32])
        {
            if (only is not null && name != only) continue;
            Step make() => makeIn(precision);
            string dtype = precision == Precision.Float32 ? "float32" : "float64";
            double best = double.PositiveInfinity; int bestThreads = 1;
            int saved = Blas.MaxThreads;
            try
            {
                foreach (int threads in Environment.ProcessorCount > 1 ? new[] { 1, Environment.ProcessorCount } : new[] { 1 })
                {
                    Blas.MaxThreads = threads;
                    double ms = MillisecondsPerStep(make, rounds, profile ? output : null, name + "_" + dtype, threads);
                    if (ms < best) { best = ms; bestThreads = threads; }
                }
            }
            finally { Blas.MaxThreads = saved; }
            output.WriteLine(JsonLine.Of(("name", name), ("dtype", dtype), ("ms_per_step", best), ("threads", bestThreads),
                ("blas", Blas.Backend.ToString()), ("system", "vinfer")));
            output.Flush();
        }
    }

    private static double MillisecondsPerStep(Func<Step> make, int rounds, TextWriter? profile, string name, int threads)
    {
        var store = new ParamStore();
        using var use = store.Use();
        var step = make();
        void Once()
        {
            using var scope = new TensorScope();
            step.Loss().Backward();
            step.Update();
        }
        var sw = Stopwatch.StartNew();
        int warm = 0;
        while (warm < 3 || sw.Elapsed.TotalSeconds < 0.3) { Once(); warm++; }
        int batch = (int)Math.Clamp(0.4 / (sw.Elapsed.TotalSeconds / warm), 1, 100_000);
        double best = double.PositiveInfinity;
        for (int r = 0; r < rounds; r++)
        {
            sw.Restart();
            for (int i = 0; i < batch; i++) Once();
            best = Math.Min(best, sw.Elapsed.TotalMilliseconds / batch);
        }
        if (profile is not null)
        {
            // the phases of the same step, timed separately (the sum exceeds the step by the stopwatch reads)
            double forward = double.PositiveInfinity, backward = double.PositiveInfinity, update = double.PositiveInfinity;
            for (int r = 0; r < Math.Max(batch, 3); r++)
            {
                using var scope = new TensorScope();
                long t0 = Stopwatch.GetTimestamp();
                var loss = step.Loss();
                long t1 = Stopwatch.GetTimestamp();
                loss.Backward();
                long t2 = Stopwatch.GetTimestamp();
                step.Update();
                long t3 = Stopwatch.GetTimestamp();
                forward = Math.Min(forward, Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
                backward = Math.Min(backward, Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds);
                update = Math.Min(update, Stopwatch.GetElapsedTime(t2, t3).TotalMilliseconds);
            }
            // the backward pass by node type (summed over one step, best of the same rounds)
            var byNode = new Dictionary<string, double>();
            var stepTotals = new Dictionary<string, double>();
            Autograd.BackwardObserver = (node, ticks) =>
                stepTotals[node.Name] = stepTotals.GetValueOrDefault(node.Name) + ticks * 1000.0 / Stopwatch.Frequency;
            try
            {
                for (int r = 0; r < Math.Max(batch, 3); r++)
                {
                    stepTotals.Clear();
                    Once();
                    foreach (var (key, ms) in stepTotals) byNode[key] = byNode.TryGetValue(key, out double least) ? Math.Min(least, ms) : ms;
                }
            }
            finally { Autograd.BackwardObserver = null; }
            profile.WriteLine("{\"name\":" + System.Text.Json.JsonSerializer.Serialize(name + "_backward_by_node") + ",\"threads\":" + threads.ToString(CultureInfo.InvariantCulture) + ","
                + string.Join(",", byNode.OrderByDescending(kv => kv.Value).Select(kv => System.Text.Json.JsonSerializer.Serialize(kv.Key) + ":" + Math.Round(kv.Value, 4).ToString(CultureInfo.InvariantCulture))) + "}");
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            Once();
            long perStep = GC.GetAllocatedBytesForCurrentThread() - allocated;
            profile.WriteLine(JsonLine.Of(("name", name + "_profile"), ("threads", threads), ("forward_ms", forward), ("backward_ms", backward),
                ("adam_ms", update), ("allocated_bytes_per_step", (double)perStep)));
        }
        return best;
    }

    /// <summary>An Adam step over the module's parameters and zeroed gradients, as <c>opt.step(); opt.zero_grad()</c>.</summary>
    private static Action AdamUpdate(double rate, params Module[] modules)
    {
        var adam = new Adam(rate);
        var parameters = modules.SelectMany(m => m.Parameters()).ToArray();
        return () =>
        {
            adam.Step(parameters);
            foreach (var (_, p) in parameters) p.ZeroGrad();
        };
    }

    private static Tensor Uniform(ulong seed, params int[] shape)
    {
        var t = Tensor.Parameter(new double[shape.Aggregate(1, (a, b) => a * b)], shape);
        t.RequiresGrad = false;
        Sample.Uniform(new RandomKey(seed), t.Span);
        return t;
    }

    private static Step MlpStep(Precision precision)
    {
        var net = new Mlp("mlp", 784, [200, 200], 100, Activation.Tanh, new RandomStream(1), precision: precision);
        var x = Uniform(2, 100, 784);
        return new Step(() => net.Forward(x).Square().Mean(), AdamUpdate(1e-3, net));
    }

    private static Step VaeStep(Precision precision)
    {
        const int k = 5, batch = 100, latent = 50;
        var random = new RandomStream(3);
        var encoder = new Mlp("encoder", 784, [200, 200], 2 * latent, Activation.Tanh, random, precision: precision);
        var decoder = new Mlp("decoder", latent, [200, 200], 784, Activation.Tanh, random, precision: precision);
        var x = Uniform(4, batch, 784);
        foreach (ref double v in x.Span) v = v > 0.5 ? 1 : 0;
        var noise = new RandomStream(5);
        double logK = Math.Log(k);
        Tensor Loss()
        {
            var h = encoder.Forward(x);
            var mu = h.Narrow(-1, 0, latent);
            var logScale = h.Narrow(-1, latent, latent);
            var eps = Tensor.Zeros(k, batch, latent);
            Sample.Normal(noise.NextKey(), eps.Span);
            var z = mu + eps * logScale.Exp();
            var logPx = decoder.BernoulliLogProb(z, x); // binary_cross_entropy_with_logits(…).sum(-1) in the peer
            var logPz = (z.Square() * -0.5).Sum(-1);
            var logQz = (eps.Square() * -0.5 - logScale).Sum(-1);
            var logWeights = logPx + logPz - logQz;
            return -(logWeights.LogSumExp(0) - logK).Mean();
        }
        return new Step(Loss, AdamUpdate(1e-3, encoder, decoder));
    }

    private static Step ConvStep(Precision precision)
    {
        var random = new RandomStream(6);
        var net = new Sequential("conv",
            new Conv2d("conv.0", 1, 4, 3, 2, random: random, precision: precision), Activation.Relu,
            new Conv2d("conv.2", 4, 16, 3, 2, random: random, precision: precision), Activation.Relu,
            new Conv2d("conv.4", 16, 64, 3, 2, random: random, precision: precision), Activation.Relu,
            Flatten.Instance, new Mlp("conv.dense", 256, [512], 2, Activation.LeakyRelu(), random, precision: precision));
        var x = Uniform(7, 100, 1, 28, 28);
        return new Step(() => net.Forward(x).Square().Mean(), AdamUpdate(1e-4, net));
    }

    private static Step SabStep(Precision precision)
    {
        var random = new RandomStream(8);
        var net = new Sequential("sab",
            new SetAttentionBlock("sab.0", 64, 4, random: random, precision: precision), new SetAttentionBlock("sab.1", 64, 4, random: random, precision: precision));
        var x = Tensor.Zeros(2, 1000, 64);
        Sample.Normal(new RandomKey(9), x.Span);
        x = Tensor.Parameter(x.Span, 2, 1000, 64);
        x.RequiresGrad = false;
        return new Step(() => net.Forward(x).Square().Mean(), AdamUpdate(1e-3, net));
    }

}
