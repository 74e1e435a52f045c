using System.CommandLine;
using Vinfer.Cli.Infrastructure;
using Vinfer.Experiments.GlobalConvergence;
using Vinfer.IO;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>vinfer experiment gcvi-toy --out DIR [--quick] [--steps N] [--widths 64,256,1024] [--seed S]</c>: the von Mises
/// toy problem of McNamara, Loper and Regier 2024 (<see cref="GcviToyStudy"/>); writes results.json, gcvi-toy.md and SVG figures.
/// </summary>
public static class GcviToyExperiment
{
    /// <summary>The subcommand.</summary>
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Output folder for results.json, gcvi-toy.md and the SVG figures.", Required = true };
        var quick = new Option<bool>("--quick") { Description = "Smoke-run preset (seconds): widths 16, 64; 400 steps; lr 1/(100 + t/10)." };
        var steps = new Option<int?>("--steps") { Description = "Adam steps per fit (default 200,000, as the paper)." };
        var widths = new Option<string?>("--widths") { Description = "Comma-separated hidden widths (default 64,256,1024)." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the test set, weights and simulations.", DefaultValueFactory = _ => 2024UL };
        var command = new Command("gcvi-toy", "L_P with an NTK-scaled network and its linearization on the von Mises toy problem (McNamara, Loper and Regier 2024).")
        {
            output, quick, steps, widths, seed,
        };
        command.SetAction(pr => CliError.Guard(pr, () =>
        {
            var options = (pr.GetValue(quick) ? GcviToyOptions.Quick : new GcviToyOptions()) with { Seed = pr.GetValue(seed) };
            if (pr.GetValue(steps) is int s) options = options with { Steps = s };
            if (pr.GetValue(widths) is string w)
                options = options with { Widths = w.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(v => int.TryParse(v, out int p) ? p : throw new ArgumentException($"--widths: '{v}' is not an integer.")).ToList() };
            options.Validate();
            string directory = pr.GetValue(output)!;
            if (File.Exists(directory)) throw new ArgumentException($"--out: '{directory}' is a file, not a folder.");
            var stdout = pr.InvocationConfiguration.Output;
            var result = GcviToyStudy.Run(options, line => stdout.WriteLine(line));
            var files = GcviToyReport.Files(result).Select(f => (Path.Combine(directory, f.Name), f.Content)).ToList();
            AtomicFile.WriteAll(files);
            stdout.WriteLine($"wrote {string.Join(", ", files.Select(f => f.Item1))}");
            return 0;
        }));
        return command;
    }
}
