using System.CommandLine;
using Vinfer.Cli.Infrastructure;
using Vinfer.Experiments.Posteriordb;
using Vinfer.Guides;
using Vinfer.Inference;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>vinfer experiment pathfinder [--family F] [--init pathfinder|origin] [--steps N] [--posteriors a,b] [--seed S]</c>:
/// Pathfinder (without --family) or ADVI from the given start on posteriordb posteriors against their references; one
/// markdown row per posterior (<see cref="PathfinderStudy"/>), the tables of docs/pathfinder.md.
/// </summary>
public static class PathfinderExperiment
{
    /// <summary>The subcommand.</summary>
    public static Command Create()
    {
        var family = new Option<string?>("--family") { Description = "ADVI with this Gaussian family (meanfield, lowrank, fullrank); without it, Pathfinder itself." };
        var init = new Option<string>("--init") { Description = "ADVI's start: pathfinder (default) or origin.", DefaultValueFactory = _ => "pathfinder" };
        var steps = new Option<int?>("--steps") { Description = "ADVI: exactly this many steps (default: Stan's rule at 0.01, at most 10000)." };
        var only = new Option<string?>("--posteriors") { Description = "Comma-separated posterior names (default: all)." };
        var seed = new Option<ulong>("--seed") { Description = "Seed.", DefaultValueFactory = _ => 1UL };
        var command = new Command("pathfinder", "Pathfinder, and ADVI started from it or from the origin, against posteriordb's references: mean errors in sds, sd ratios, k̂, gradient counts.")
        {
            family, init, steps, only, seed,
        };
        command.SetAction(pr => CliError.Guard(pr, () =>
        {
            VariationalFamily? chosen = pr.GetValue(family) is { } name ? VariationalFamilies.Get(name) : null;
            if (chosen is not null && !AdviInitialization.Applies(chosen)) throw new ArgumentException($"--family '{chosen.Name}': expected meanfield, lowrank or fullrank.");
            var start = pr.GetValue(init) switch
            {
                "pathfinder" => AdviStart.Pathfinder,
                "origin" => AdviStart.Origin,
                var other => throw new ArgumentException($"--init: expected pathfinder or origin, got '{other}'."),
            };
            if (pr.GetValue(steps) is < 1) throw new ArgumentException($"--steps: must be at least 1, got {pr.GetValue(steps)}.");
            var known = PosteriordbAccuracy.Posteriors();
            IReadOnlyList<string> posteriors = known;
            if (pr.GetValue(only) is string list)
            {
                posteriors = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                foreach (var p in posteriors)
                    if (!known.Contains(p)) throw new ArgumentException($"--posteriors: unknown posterior '{p}'; known: {string.Join(", ", known)}.");
            }
            var stdout = pr.InvocationConfiguration.Output;
            stdout.WriteLine(PathfinderStudy.MarkdownHeader);
            foreach (var p in posteriors)
                stdout.WriteLine(PathfinderStudy.ToMarkdownRow(PathfinderStudy.Run(p, chosen, start, pr.GetValue(steps), pr.GetValue(seed))));
            return 0;
        }));
        return command;
    }
}
