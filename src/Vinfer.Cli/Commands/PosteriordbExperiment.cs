using Vinfer.IO;
using System.CommandLine;
using Vinfer.Cli.Infrastructure;
using Vinfer.Guides;
using Vinfer.Inference;

using Vinfer.Experiments.Posteriordb;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>vinfer experiment posteriordb [--family meanfield|fullrank|auto|iaf|both|flows|LIST] [--restarts N] [--out DIR] [--quick]</c>:
/// every posteriordb posterior fitted as <c>vinfer fit</c> fits it, against its gold-standard reference, with the fit's
/// verdict beside the error; writes DIR/results.json and DIR/posteriordb-accuracy.md. A fit that fails gets a row saying why.
/// </summary>
public static class PosteriordbExperiment
{
    /// <summary>The subcommand.</summary>
    public static Command Create()
    {
        var family = new Option<string>("--family") { Description = "meanfield, lowrank, fullrank, flow, iaf, nsf, planar, auto (escalation as vinfer fit --family auto), both (meanfield,fullrank), flows (flow,iaf,nsf), or a comma-separated list of these families.", DefaultValueFactory = _ => "both" };
        var output = new Option<string>("--out") { Description = "Output folder for results.json and posteriordb-accuracy.md.", DefaultValueFactory = _ => "posteriordb-results" };
        var quick = new Option<bool>("--quick") { Description = "Smoke-run preset: 600 steps, 8 particles, 2000 draws." };
        var steps = new Option<int?>("--steps") { Description = "SVI steps per fit: the limit of Stan's rule, or the exact count with --tol 0 or --fixed-steps (default 10000)." };
        var particles = new Option<int?>("--particles") { Description = "Particles per step (default: vinfer fit's; 16 with --fixed-steps)." };
        var tolerance = new Option<double?>("--tol") { Description = "Stan's relative tolerance of the fits (default 0.01, as vinfer fit); 0 runs exactly --steps steps." };
        var restarts = new Option<int>("--restarts") { Description = "Fits from different initializations per posterior (as vinfer fit --restarts).", DefaultValueFactory = _ => 1 };
        var fixedSteps = new Option<bool>("--fixed-steps") { Description = "The study's fixed-step protocol (exactly --steps steps, decaying Adam, the last half averaged) instead of vinfer fit's." };
        var draws = new Option<int?>("--draws") { Description = "Draws for the summaries and k̂ (default 10000)." };
        var only = new Option<string?>("--posteriors") { Description = "Comma-separated posterior names (default: all)." };
        var seed = new Option<int>("--seed") { Description = "Seed.", DefaultValueFactory = _ => 1 };
        var method = new Option<string>("--method") { Description = "advi (default) or alpha-moments (monotonic alpha-divergence updates).", DefaultValueFactory = _ => "advi" };
        var alpha = new Option<double>("--alpha") { Description = "alpha-moments: alpha in [0, 1).", DefaultValueFactory = _ => 0.5 };
        var samples = new Option<int>("--samples") { Description = "alpha-moments: draws per update.", DefaultValueFactory = _ => 1000 };
        var damping = new Option<double>("--damping") { Description = "alpha-moments: damping in (0, 1].", DefaultValueFactory = _ => 0.5 };
        var updates = new Option<int>("--updates") { Description = "alpha-moments: updates before the averaged ones.", DefaultValueFactory = _ => 300 };
        var init = new Option<string>("--init") { Description = "advi: start from (and precondition with) Pathfinder's approximation, or from the origin: pathfinder (default) or origin.", DefaultValueFactory = _ => "pathfinder" };
        var averageUpdates = new Option<int>("--average-updates") { Description = "alpha-moments: updates averaged at the end.", DefaultValueFactory = _ => 200 };
        var command = new Command("posteriordb", "ADVI (mean-field, full-rank) against posteriordb's gold-standard posteriors: mean errors in sds, sd ratios, k̂.")
        {
            family, output, quick, steps, particles, draws, only, seed, method, alpha, samples, damping, updates, averageUpdates, init, tolerance, restarts, fixedSteps,
        };
        command.SetAction(pr => CliError.Guard(pr, () =>
        {
            // one family, both Gaussians, the three flows, or auto's escalation; the registry maps names to families
            string[] families = pr.GetValue(family) switch
            {
                "both" => [VariationalFamilies.MeanField.Name, VariationalFamilies.FullRank.Name],
                "flows" => ["flow", "iaf", "nsf"],
                "meanfield" or "lowrank" or "fullrank" or "flow" or "iaf" or "nsf" or "planar" or PosteriordbAccuracy.AutoFamily => [pr.GetValue(family)!],
                var other => [.. other!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(CheckFamily)],
            };
            var options = pr.GetValue(quick) ? PosteriordbAccuracyOptions.Quick : new PosteriordbAccuracyOptions();
            options = options with
            {
                Seed = (ulong)pr.GetValue(seed),
                Initialization = pr.GetValue(init) switch
                {
                    "pathfinder" => AdviStart.Pathfinder,
                    "origin" => AdviStart.Origin,
                    var other => throw new ArgumentException($"--init: expected pathfinder or origin, got '{other}'."),
                },
            };
            if (pr.GetValue(steps) is int s) options = s >= 1 ? options with { Steps = s } : throw new ArgumentException($"--steps: must be at least 1, got {s}.");
            if (pr.GetValue(particles) is int p) options = p >= 1 ? options with { Particles = p } : throw new ArgumentException($"--particles: must be at least 1, got {p}.");
            if (pr.GetValue(draws) is int d) options = d >= 100 ? options with { Draws = d } : throw new ArgumentException($"--draws: must be at least 100, got {d}.");
            if (pr.GetValue(tolerance) is double tol)
                options = tol == 0 ? options with { Tolerance = null } : tol > 0 && tol < 1 ? options with { Tolerance = tol }
                    : throw new ArgumentException($"--tol: expected 0 or a number in (0, 1), got {tol.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
            int restartCount = pr.GetValue(restarts);
            if (restartCount < 1) throw new ArgumentException($"--restarts: must be at least 1, got {restartCount}.");
            options = options with { Restarts = restartCount, FixedSteps = pr.GetValue(fixedSteps) };
            switch (pr.GetValue(method))
            {
                case "advi": break;
                case "alpha-moments":
                    double a = pr.GetValue(alpha), g = pr.GetValue(damping);
                    int n = pr.GetValue(samples), u = pr.GetValue(updates), avg = pr.GetValue(averageUpdates);
                    if (!double.IsFinite(a) || a < 0 || a >= 1) throw new ArgumentException($"--alpha is {a}, expected a finite number in [0, 1).");
                    if (!(g > 0 && g <= 1)) throw new ArgumentException($"--damping is {g}, expected a number in (0, 1].");
                    if (n < 2) throw new ArgumentException($"--samples is {n}, expected at least 2.");
                    if (u < 1) throw new ArgumentException($"--updates is {u}, expected at least 1.");
                    if (avg < 0) throw new ArgumentException($"--average-updates is {avg}, expected 0 or more.");
                    options = options with { AlphaMoments = new AlphaMomentsOptions { Alpha = a, Damping = g, Samples = n, Steps = u, AverageSteps = avg } };
                    break;
                case var other: throw new ArgumentException($"--method: expected advi or alpha-moments, got '{other}'.");
            }
            var known = PosteriordbAccuracy.Posteriors();
            IReadOnlyList<string> posteriors = known;
            if (pr.GetValue(only) is string list)
            {
                posteriors = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                foreach (var name in posteriors)
                    if (!known.Contains(name)) throw new ArgumentException($"--posteriors: unknown posterior '{name}'; known: {string.Join(", ", known)}.");
            }
            if (options.Restarts > 1 && options.UsesFixedSteps) throw new ArgumentException($"--restarts {options.Restarts}: restarts need vinfer fit's protocol, not --fixed-steps or --method alpha-moments.");
            if (families.Contains(PosteriordbAccuracy.AutoFamily) && options.UsesFixedSteps) throw new ArgumentException("--family auto needs vinfer fit's protocol, not --fixed-steps or --method alpha-moments.");
            var stdout = pr.InvocationConfiguration.Output;
            var rows = PosteriordbAccuracy.RunAll(families, options, r => stdout.WriteLine(r.Failed
                ? $"{r.Posterior,-42} {r.Requested,-9} failed: {r.Failure}"
                : FormattableString.Invariant(
                $"{r.Posterior,-42} {(r.Requested == r.Family.Name ? r.Family.Name : r.Requested + "→" + r.Family.Name),-9} max|Δmean|/sd {r.AnswerMaxMeanError,7:F3} ({r.Reported?.WorstParameter ?? r.WorstParameter}, {r.Reported?.Source ?? "guide"})  guide draws {r.MaxMeanError:F3}  sd ratio {r.MinSdRatio:F3}–{r.MaxSdRatio:F3}  k̂ {r.KHat:F2}  verdict {r.VerdictName}  {r.Seconds:F1} s")), posteriors);
            string dir = pr.GetValue(output)!;
            AtomicFile.WriteAll(
            [
                (Path.Combine(dir, "results.json"), PosteriordbAccuracyReport.ToJson(rows, options)),
                (Path.Combine(dir, "posteriordb-accuracy.md"), $"# {(options.AlphaMoments is null ? "ADVI" : "Monotonic alpha-divergence updates")}: accuracy on posteriordb\n\n" + PosteriordbAccuracyReport.ToMarkdown(rows, options)),
            ]);
            return 0;
        }));
        return command;
    }

    private static string CheckFamily(string name) =>
        name == PosteriordbAccuracy.AutoFamily || VariationalFamilies.TryGet(name, out var f) && !f.IsPointEstimate && f is not SvgdFamily ? name
        : throw new ArgumentException($"--family: expected meanfield, lowrank, fullrank, flow, iaf, nsf, planar, auto, both, flows or a comma-separated list of families, got '{name}'.");
}
