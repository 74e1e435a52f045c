using System.CommandLine;
using Vinfer.Cli.Infrastructure;
using Vinfer.Experiments.ObjectiveComparison;
using Vinfer.IO;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>vinfer experiment objectives --out DIR [--quick] [--posteriors A,B] [--steps N] [--seed S]</c>: mean-field fits of
/// the posteriordb suite with the ELBO, VR (α = 0.5), IWAE (K = 16) and the monotonic alpha updates side by side
/// (<see cref="ObjectivesStudy"/>); writes DIR/results.json, DIR/objectives.md and DIR/sd-ratios.svg.
/// </summary>
public static class ObjectivesExperiment
{
    /// <summary>The subcommand.</summary>
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Output folder for results.json, objectives.md and sd-ratios.svg.", Required = true };
        var quick = new Option<bool>("--quick") { Description = "Smoke-run preset (under a minute): arK, eight_schools_noncentered, mesquite, nes; 1500 steps; 150 + 100 alpha updates of 500 draws; 2000 draws." };
        var only = new Option<string?>("--posteriors") { Description = "Comma-separated posterior names (default: all, or the quick preset's four)." };
        var steps = new Option<int?>("--steps") { Description = "SVI steps per objective fit (default 10000; 1500 with --quick)." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of every fit.", DefaultValueFactory = _ => 1UL };
        var command = new Command("objectives", "Mean-field fits of posteriordb with ELBO, VR (alpha 0.5), IWAE (K 16) and alpha-moment updates side by side.")
        {
            output, quick, only, steps, seed,
        };
        command.SetAction(pr => CliError.Guard(pr, () =>
        {
            var options = (pr.GetValue(quick) ? ObjectivesStudyOptions.Quick : new ObjectivesStudyOptions()) with { Seed = pr.GetValue(seed) };
            if (pr.GetValue(steps) is int s) options = s >= 1 ? options with { Steps = s } : throw new ArgumentException($"--steps: must be at least 1, got {s}.");
            if (pr.GetValue(only) is string list)
                options = options with { Posteriors = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) };
            options.Validate();
            string directory = pr.GetValue(output)!;
            if (File.Exists(directory)) throw new ArgumentException($"--out: '{directory}' is a file, not a folder.");
            var stdout = pr.InvocationConfiguration.Output;
            var rows = ObjectivesStudy.Run(options, r => stdout.WriteLine(FormattableString.Invariant(
                $"{r.Accuracy.Posterior,-42} {r.Method,-18} max err {r.Accuracy.MaxMeanError,8:F3}  median err {r.MedianMeanError:F3}  sd ratio median {r.MedianSdRatio:F3} min {r.Accuracy.MinSdRatio:F3}  k̂ {r.Accuracy.KHat:F2}  {r.Accuracy.Seconds:F1} s")));
            var files = ObjectivesStudyReport.Files(options, rows).Select(f => (Path.Combine(directory, f.Name), f.Content)).ToList();
            AtomicFile.WriteAll(files);
            stdout.WriteLine($"wrote {string.Join(", ", files.Select(f => f.Item1))}");
            return 0;
        }));
        return command;
    }
}
