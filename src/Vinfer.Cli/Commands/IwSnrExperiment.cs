using System.CommandLine;
using Vinfer.Cli.Infrastructure;
using Vinfer.Experiments.ImportanceWeighting;
using Vinfer.IO;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>vinfer experiment iw-snr --out DIR [--quick] [--seed S]</c>: gradient SNR of IWAE vs DReG as K grows and of
/// VR-IWAE as the dimension grows (<see cref="IwSnrStudy"/>); writes DIR/results.json, DIR/iw-snr.md and SVG figures.
/// </summary>
public static class IwSnrExperiment
{
    /// <summary>The subcommand.</summary>
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Output folder for results.json, iw-snr.md and the SVG figures.", Required = true };
        var quick = new Option<bool>("--quick") { Description = "Smoke-run preset (under a minute): K 1, 10, 100; d 2, 100; N 1, 10, 100; α 0, 0.5." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the data, perturbations and draws.", DefaultValueFactory = _ => 2018UL };
        var command = new Command("iw-snr", "Gradient SNR: IWAE vs DReG as K grows (Rainforth et al. 2018), VR-IWAE as the dimension grows (Daudel et al. 2023).")
        {
            output, quick, seed,
        };
        command.SetAction(pr => CliError.Guard(pr, () =>
        {
            var options = (pr.GetValue(quick) ? IwSnrOptions.Quick : new IwSnrOptions()) with { Seed = pr.GetValue(seed) };
            options.Validate();
            string directory = pr.GetValue(output)!;
            if (File.Exists(directory)) throw new ArgumentException($"--out: '{directory}' is a file, not a folder.");
            var stdout = pr.InvocationConfiguration.Output;
            var points = IwSnrStudy.Run(options, line => stdout.WriteLine(line));
            var files = IwSnrReport.Files(options, points).Select(f => (Path.Combine(directory, f.Name), f.Content)).ToList();
            AtomicFile.WriteAll(files);
            stdout.WriteLine($"wrote {string.Join(", ", files.Select(f => f.Item1))}");
            return 0;
        }));
        return command;
    }
}
