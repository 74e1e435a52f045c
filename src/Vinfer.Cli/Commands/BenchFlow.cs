using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Vinfer.Guides;
using Vinfer.Inference;
using Vinfer.Modeling;
using Vinfer.Objectives;
using Vinfer.Optim;
using Vinfer.Random;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>vinfer bench flow</c>: an inverse autoregressive flow guide (Kingma et al. 2016; <see cref="AutoIafNormal"/>:
/// diagonal Gaussian base, MADE conditioners with ReLU, y = x·exp(s) + μ with s clamped to [−5, 3], the coordinates
/// reversed between layers) fitted by the reparameterized ELBO with constant-rate Adam to Neal's funnel in d = 10
/// (v ~ N(0, 3²), x_i | v ~ N(0, e^v)); <c>--objective iwae|renyi</c> fits the same guide by a mass-covering bound
/// (reparameterized gradient; DReG would need the flow to re-score draws with detached parameters) instead. Prints one JSON line: milliseconds per training step (objective, backward,
/// Adam) and, from draws of the fitted guide, each coordinate's |mean error| and sd ratio against the exact funnel
/// (means 0, sd(v) = 3, sd(x_i) = e^{9/4}). bench/peers/flow_funnel_torch.py is the same fit written in PyTorch.
/// </summary>
public static class BenchFlow
{
    private const int Dimension = 10;

    /// <summary>Builds the <c>flow</c> subcommand.</summary>
    public static Command Create()
    {
        var steps = new Option<int>("--steps") { Description = "Training steps.", DefaultValueFactory = _ => 5000 };
        var particles = new Option<int>("--particles") { Description = "Particles per step.", DefaultValueFactory = _ => 8 };
        var layers = new Option<int>("--layers") { Description = "IAF layers.", DefaultValueFactory = _ => 2 };
        var hidden = new Option<int>("--hidden") { Description = "MADE hidden width (one hidden layer).", DefaultValueFactory = _ => 33 };
        var rate = new Option<double>("--lr") { Description = "Adam's constant learning rate.", DefaultValueFactory = _ => 0.01 };
        var draws = new Option<int>("--draws") { Description = "Draws for the accuracy.", DefaultValueFactory = _ => 20_000 };
        var seed = new Option<ulong>("--seed") { Description = "Seed.", DefaultValueFactory = _ => 1UL };
        var objective = new Option<string>("--objective") { Description = "elbo (the PyTorch peer's), iwae or renyi (K = --particles samples, one estimate per step); all reparameterized.", DefaultValueFactory = _ => "elbo" };
        var alpha = new Option<double>("--alpha") { Description = "renyi: alpha.", DefaultValueFactory = _ => 0.5 };
        var maxLogScale = new Option<double>("--max-log-scale") { Description = "Upper clamp of each IAF layer's log-scale (default 3, Pyro's and the PyTorch peer's).", DefaultValueFactory = _ => 3 };
        var baseDf = new Option<double>("--base-df") { Description = "Initial degrees of freedom of a Student-t base, learned per coordinate (default 0: the Gaussian base of the PyTorch peer).", DefaultValueFactory = _ => 0 };
        var command = new Command("flow", "IAF guide on Neal's funnel (d = 10): ms per training step and accuracy against the exact funnel.")
        {
            steps, particles, layers, hidden, rate, draws, seed, objective, alpha, baseDf, maxLogScale,
        };
        command.SetAction(pr =>
        {
            int s = pr.GetValue(steps), p = pr.GetValue(particles), l = pr.GetValue(layers), h = pr.GetValue(hidden), n = pr.GetValue(draws);
            double lr = pr.GetValue(rate);
            string? error = s < 1 ? $"--steps must be at least 1, got {s}." : p < 1 ? $"--particles must be at least 1, got {p}."
                : l < 1 ? $"--layers must be at least 1, got {l}." : h < 1 ? $"--hidden must be at least 1, got {h}."
                : !(lr > 0 && double.IsFinite(lr)) ? $"--lr must be a positive number, got {lr}." : n < 100 ? $"--draws must be at least 100, got {n}."
                : pr.GetValue(objective) is not ("elbo" or "iwae" or "renyi") ? $"--objective must be elbo, iwae or renyi, got '{pr.GetValue(objective)}'."
                : !double.IsFinite(pr.GetValue(alpha)) ? $"--alpha must be a finite number, got {pr.GetValue(alpha)}."
                : !(pr.GetValue(baseDf) >= 0 && double.IsFinite(pr.GetValue(baseDf))) ? $"--base-df must be 0 (Gaussian base) or a positive number, got {pr.GetValue(baseDf)}." : null;
            if (error is not null)
            {
                pr.InvocationConfiguration.Error.WriteLine($"vinfer bench flow: {error}");
                return 2;
            }
            pr.InvocationConfiguration.Output.WriteLine(Run(s, p, l, h, lr, n, pr.GetValue(seed), pr.GetValue(objective)!, pr.GetValue(alpha), pr.GetValue(baseDf), pr.GetValue(maxLogScale)));
            return 0;
        });
        return command;
    }

    private static void Funnel()
    {
        var v = Sample("v", new Distributions.Normal(0.0, 3.0));
        var scale = (v * 0.5).Exp().Unsqueeze(-1).Expand([.. v.Shape, Dimension - 1]);
        // no argument validation: an extreme draw of v (scale 0 or ∞) gives a non-finite log-weight, and Svi skips that step
        Sample("x", new Distributions.Normal(Tensor.Zeros(Dimension - 1), scale, validateArgs: false).ToEvent(1));
    }

    /// <summary>Fits and scores; returns the JSON line.</summary>
    public static string Run(int steps, int particles, int layers, int hidden, double rate, int drawCount, ulong seed, string objectiveName = "elbo", double alpha = 0.5, double baseDegreesOfFreedom = 0, double maximumLogScale = 3)
    {
        Action model = Funnel;
        var guide = new AutoIafNormal(model, layers, [hidden]) 
        {
            BaseDegreesOfFreedom = baseDegreesOfFreedom > 0 ? baseDegreesOfFreedom : null,
            MaximumLogScale = maximumLogScale,
        };
        var store = new ParamStore();
        // Reparameterized gradients, as the PyTorch peer uses (DReG for the IAF is `vinfer experiment targets --estimator dreg`).
        IObjective objective = objectiveName switch
        {
            "iwae" => new IwaeBound(particles, 1, GradientEstimator.Reparameterized),
            "renyi" => new RenyiBound(alpha, particles, 1, GradientEstimator.Reparameterized),
            _ => new Elbo(particles),
        };
        var svi = new Svi(model, guide, new Adam(rate), objective, store);
        var random = new RandomStream(new RandomKey(seed));
        // the clock starts after the first tenth of the steps, so that JIT compilation (and PyTorch's warm-up) is not timed
        int untimed = steps / 10;
        var clock = new Stopwatch();
        double estimate = double.NaN; // the objective's estimate at the last step
        for (int step = 0; step < steps; step++)
        {
            if (step == untimed) clock.Start();
            estimate = svi.Step(random);
        }
        double ms = clock.Elapsed.TotalMilliseconds / (steps - untimed);

        var draws = PosteriorSampler.Draw(model, guide.Run, ModelPrototype.Capture(model), store, drawCount, new RandomStream(new RandomKey(seed).Fold(StreamTags.PosteriorDraws)));
        var meanError = new double[Dimension];
        var sdRatio = new double[Dimension];
        var reweightedMeanError = new double[Dimension];
        var reweightedSdRatio = new double[Dimension];
        var psis = Diagnostics.ParetoSmoothedImportanceSampling.Smooth(draws.LogRatios());
        var weights = psis.NormalizedLogWeights().Select(Math.Exp).ToArray();
        for (int j = 0; j < Dimension; j++)
        {
            var column = draws.Column(j);
            double mean = column.Average();
            double sd = Math.Sqrt(column.Sum(x => (x - mean) * (x - mean)) / (column.Length - 1));
            double exactSd = j == 0 ? 3.0 : Math.Exp(9.0 / 4);
            meanError[j] = Math.Abs(mean) / exactSd;
            sdRatio[j] = sd / exactSd;
            double weightedMean = 0, weightedVariance = 0;
            for (int i = 0; i < column.Length; i++) weightedMean += weights[i] * column[i];
            for (int i = 0; i < column.Length; i++) weightedVariance += weights[i] * (column[i] - weightedMean) * (column[i] - weightedMean);
            reweightedMeanError[j] = Math.Abs(weightedMean) / exactSd;
            reweightedSdRatio[j] = Math.Sqrt(weightedVariance) / exactSd;
        }
        return FormattableString.Invariant(
            $"{{\"name\":\"iaf_funnel\",\"impl\":\"vinfer\",\"d\":{Dimension},\"layers\":{layers},\"hidden\":{hidden},\"particles\":{particles},\"steps\":{steps},\"lr\":{rate},\"ms_per_step\":{ms:G6},\"objective\":\"{objectiveName}\",\"final_estimate\":{estimate:G6},\"max_mean_error_sd\":{meanError.Max():G4},\"sd_ratio_min\":{sdRatio.Min():G4},\"sd_ratio_max\":{sdRatio.Max():G4},\"sd_ratio\":[{string.Join(",", sdRatio.Select(r => r.ToString("G4", CultureInfo.InvariantCulture)))}],\"mean_error_sd\":[{string.Join(",", meanError.Select(r => r.ToString("G4", CultureInfo.InvariantCulture)))}],\"base_df\":{baseDegreesOfFreedom:G4},\"max_log_scale\":{maximumLogScale:G4},\"khat\":{psis.KHat:G4},\"psis_max_mean_error_sd\":{reweightedMeanError.Max():G4},\"psis_sd_ratio_min\":{reweightedSdRatio.Min():G4},\"psis_sd_ratio_max\":{reweightedSdRatio.Max():G4}}}");
    }
}
