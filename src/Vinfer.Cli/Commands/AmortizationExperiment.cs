using System.CommandLine;
using System.Globalization;
using Vinfer.Cli.Infrastructure;
using Vinfer.Experiments.Amortization;
using Vinfer.IO;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>vinfer experiment amortization --model linear|nonlinear|saw|hmm|bayesian-vae --out DIR [--quick] [--seeds N] [--samples S]
/// [--iterations T] [--size-scale F]</c> (and for bayesian-vae <c>[--images N] [--epochs E] [--batch-size B] [--widths K,…]
/// [--methods M,…]</c>): F-VI vs A-VI vs const (Margossian and Blei 2024, <see cref="AmortizationStudy"/>,
/// <see cref="BayesianVaeStudy"/>).
/// </summary>
public static class AmortizationExperiment
{
    /// <summary>The subcommand.</summary>
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Output folder for results.json, amortization-MODEL.md and elbo.svg.", Required = true };
        var model = new Option<string>("--model") { Description = "linear, nonlinear, saw, hmm or bayesian-vae.", Required = true };
        var quick = new Option<bool>("--quick") { Description = "Smoke-run preset: 2 seeds, 10 samples, 300 iterations, a tenth of the data." };
        var seeds = new Option<int?>("--seeds") { Description = "Seeds per method (default 10)." };
        var samples = new Option<int?>("--samples") { Description = "Reparameterized samples per step (default 100)." };
        var iterations = new Option<int?>("--iterations") { Description = "Iterations per fit (default: the model's full protocol)." };
        var sizeScale = new Option<double?>("--size-scale") { Description = "Data size relative to the paper's (default 1)." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the data and fits.", DefaultValueFactory = _ => 2024UL };
        var vaeOptions = BayesianVaeCommandOptions.Create();
        var command = new Command("amortization", "Amortized vs factorized VI on the linear, nonlinear, saw and HMM models and the Bayesian VAE (Margossian and Blei 2024).")
        {
            output, model, quick, seeds, samples, iterations, sizeScale, seed,
        };
        vaeOptions.AddTo(command);
        command.SetAction(pr => CliError.Guard(pr, () =>
        {
            string name = pr.GetValue(model)!;
            if (name == "bayesian-vae")
            {
                foreach (var (value, flag) in new[] { (pr.GetValue(iterations) is not null, "--iterations"), (pr.GetValue(sizeScale) is not null, "--size-scale"), (pr.GetValue(seeds) is not null, "--seeds") })
                    if (value) throw new ArgumentException($"{flag}: does not apply to --model bayesian-vae (use --epochs, --images).");
                return vaeOptions.Run(pr, pr.GetValue(output)!, pr.GetValue(quick), pr.GetValue(samples), pr.GetValue(seed));
            }
            vaeOptions.RefuseFor(pr, name);
            var options = (pr.GetValue(quick) ? AmortizationOptions.Quick(name) : new AmortizationOptions { Model = name }) with { Seed = pr.GetValue(seed) };
            if (pr.GetValue(seeds) is int s) options = options with { Seeds = s };
            if (pr.GetValue(samples) is int m) options = options with { Samples = m };
            if (pr.GetValue(iterations) is int t) options = options with { Iterations = t };
            if (pr.GetValue(sizeScale) is double f) options = options with { SizeScale = f };
            options.Validate();
            string directory = pr.GetValue(output)!;
            if (File.Exists(directory)) throw new ArgumentException($"--out: '{directory}' is a file, not a folder.");
            var stdout = pr.InvocationConfiguration.Output;
            var result = AmortizationStudy.Run(options, line => stdout.WriteLine(line));
            var files = AmortizationReport.Files(result).Select(x => (Path.Combine(directory, x.Name), x.Content)).ToList();
            AtomicFile.WriteAll(files);
            stdout.WriteLine($"wrote {string.Join(", ", files.Select(x => x.Item1))}");
            return 0;
        }));
        return command;
    }
}
