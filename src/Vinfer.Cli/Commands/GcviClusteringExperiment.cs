using System.CommandLine;
using Vinfer.Cli.Infrastructure;
using Vinfer.Experiments.GlobalConvergence;
using Vinfer.IO;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>vinfer experiment gcvi-clustering --out DIR [--quick] [--points N] [--steps T] [--replicates R] [--cells C,…]</c>: label switching,
/// L_P vs ELBO × natural vs mean-only (<see cref="GcviClusteringStudy"/>).
/// </summary>
public static class GcviClusteringExperiment
{
    /// <summary>The subcommand.</summary>
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Output folder for results.json, gcvi-clustering.md and centres.svg.", Required = true };
        var quick = new Option<bool>("--quick") { Description = "Smoke-run preset: 40 points, 20 steps, 2 replicates." };
        var points = new Option<int?>("--points") { Description = "Points per data set (default 200; the paper: 1,000)." };
        var steps = new Option<int?>("--steps") { Description = "Adam steps (default 600; the paper: 50,000)." };
        var replicates = new Option<int?>("--replicates") { Description = "Replicates per cell (default 5; the paper: 100)." };
        var cells = new Option<string?>("--cells") { Description = "Cells to fit, comma-separated: elbo-natural, elbo-mean-only, lp-natural, lp-mean-only (default all)." };
        var eta1Scale = new Option<double?>("--eta1-scale") { Description = "Natural parameterization: η₁ = scale·o₁ (default 20)." };
        var smooth = new Option<bool?>("--smooth-bound") { Description = "Natural parameterization: bound η₂ to [−1000, −0.1] by a smooth map instead of a hard clamp." };
        var seed = new Option<ulong>("--seed") { Description = "Seed.", DefaultValueFactory = _ => 2024UL };
        var command = new Command("gcvi-clustering", "Label switching with Set Transformer encoders: L_P vs ELBO (McNamara, Loper and Regier 2024, Table 1).")
        {
            output, quick, points, steps, replicates, seed, cells, eta1Scale, smooth,
        };
        command.SetAction(pr => CliError.Guard(pr, () =>
        {
            var options = (pr.GetValue(quick) ? GcviClusteringOptions.Quick : new GcviClusteringOptions()) with { Seed = pr.GetValue(seed) };
            if (pr.GetValue(points) is int n) options = options with { Points = n };
            if (pr.GetValue(steps) is int t) options = options with { Steps = t };
            if (pr.GetValue(replicates) is int r) options = options with { Replicates = r };
            if (pr.GetValue(eta1Scale) is double e) options = options with { Eta1Scale = e };
            if (pr.GetValue(smooth) is bool b) options = options with { SmoothBound = b };
            if (pr.GetValue(cells) is string c) options = options with { Cells = c.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) };
            options.Validate();
            string directory = pr.GetValue(output)!;
            if (File.Exists(directory)) throw new ArgumentException($"--out: '{directory}' is a file, not a folder.");
            var stdout = pr.InvocationConfiguration.Output;
            var result = GcviClusteringStudy.Run(options, line => stdout.WriteLine(line));
            var files = GcviClusteringReport.Files(result).Select(f => (Path.Combine(directory, f.Name), f.Content)).ToList();
            AtomicFile.WriteAll(files);
            stdout.WriteLine($"wrote {string.Join(", ", files.Select(f => f.Item1))}");
            return 0;
        }));
        return command;
    }
}
