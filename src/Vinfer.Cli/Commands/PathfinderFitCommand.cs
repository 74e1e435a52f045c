using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Vinfer.Inference;
using Vinfer.Models;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>vinfer fit MODEL --method pathfinder [--paths 4] [--draws N]</c>: multi-path Pathfinder (Zhang et al. 2022,
/// <see cref="PathfinderFit"/>) reported and written like an ADVI fit; and <c>--init pathfinder|origin</c>, where ADVI's
/// Gaussian families start (<see cref="AdviStart"/>).
/// </summary>
public static class PathfinderFitCommand
{
    /// <summary>Pathfinder's number of paths.</summary>
    public static readonly Option<int> Paths = new("--paths") { Description = "pathfinder: number of independent L-BFGS paths, at least 1 (default 4).", DefaultValueFactory = _ => 4 };

    /// <summary>Where ADVI starts.</summary>
    public static readonly Option<string> Init = new("--init") { Description = "Where advi starts: pathfinder (default; meanfield, lowrank, fullrank start from and are preconditioned with Pathfinder's approximation), origin or 0 (every unconstrained value 0, as Stan's init=0), R > 0 (uniform(-R, R) on the unconstrained scale) or FILE.json (constrained values per parameter, as Stan's init file).", DefaultValueFactory = _ => "pathfinder" };

    /// <summary>Adds --paths and --init to the fit command.</summary>
    public static void AddOptions(Command fit)
    {
        fit.Options.Add(Paths);
        fit.Options.Add(Init);
    }

    /// <summary>The start asked with --init; rejects --paths, which only Pathfinder takes.</summary>
    internal static FitStart ReadInit(ParseResult pr)
    {
        if (pr.GetResult(Paths) is { Implicit: false }) throw new ArgumentException("--paths applies only to --method pathfinder.");
        return FitStart.Parse(pr.GetValue(Init)!);
    }

    /// <summary>Runs Pathfinder on the built-in model and reports it; options that do not apply are rejected.</summary>
    internal static int Fit(ParseResult pr, BuiltInModel model)
    {
        foreach (var o in new Option[] { ModelFit.Family, ModelFit.Steps, ModelFit.Particles, ModelFit.Rank, ModelFit.FlowLayers, ModelFit.Hidden, ModelFit.MaxLogScale, ModelFit.BaseDf,
                     ModelFit.AverageSteps, ModelFit.AverageRateFactor, ModelFit.Damping, ModelFit.Samples, Init, FitCommand.Tolerance,
                     ObjectiveOptions.Objective, ObjectiveOptions.ImportanceSamples, ObjectiveOptions.Estimator })
            if (pr.GetResult(o) is { Implicit: false }) throw new ArgumentException($"{o.Name} does not apply to --method pathfinder.");
        int paths = pr.GetValue(Paths);
        if (paths < 1) throw new ArgumentException($"--paths is {paths}, expected at least 1.");
        int draws = pr.GetValue(ModelFit.Draws);
        if (draws < 10) throw new ArgumentException($"--draws is {draws}, expected at least 10.");
        var program = model.Bind(ModelFit.ReadData(pr.GetValue(FitCommand.Data), model));
        var options = new PathfinderOptions { Paths = paths, Draws = draws, DrawsPerPath = draws, Seed = pr.GetValue(ModelFit.Seed) };
        var fit = PathfinderFit.Fit(program, options);
        return ModelFit.Report(pr, model, fit, pr.GetValue(FitCommand.Output), terminal: false, new JsonObject { ["name"] = "elbo" }, FormattableString.Invariant($"pathfinder ({paths} paths)"));
    }

    /// <summary>summary.json's "pathfinder" entry: per path, the start's attempts, L-BFGS iterations, why it stopped, the chosen iterate and its ELBO; the cost in log-density evaluations.</summary>
    internal static JsonObject? Summary(FitResult fit)
    {
        if (fit.Pathfinder is not { } r) return fit.InitializationNote is { } note ? new JsonObject { ["initialization_note"] = note } : null;
        var paths = new JsonArray();
        foreach (var p in r.Paths)
            paths.Add((JsonNode)new JsonObject
            {
                ["init_attempts"] = p.InitAttempts,
                ["iterations"] = p.Iterations,
                ["stop"] = p.Stop?.ToString(),
                ["best_iterate"] = p.BestIterate,
                ["best_elbo"] = double.IsFinite(p.BestElbo) ? p.BestElbo : null,
                ["failure"] = p.Failure,
            });
        return new JsonObject
        {
            ["role"] = fit.PathfinderFit ? "fit" : "initialization and preconditioning of the Gaussian family",
            ["paths"] = paths,
            ["gradient_evaluations"] = r.GradientEvaluations,
            ["density_evaluations"] = r.DensityEvaluations,
            ["k_hat"] = double.IsFinite(r.KHat) ? r.KHat : null,
            ["seconds"] = r.Seconds,
        };
    }

    /// <summary>How Pathfinder's draws were made, for summary.json's draws_method.</summary>
    internal static string DrawsMethod(FitResult fit) => string.Create(CultureInfo.InvariantCulture,
        $"PSIS-resampled (with replacement) from {fit.Pathfinder!.Proposals.Count} draws of {fit.Pathfinder.Paths.Count(p => p.Succeeded)} Pathfinder path(s)");

    /// <summary>A line saying where ADVI started (Pathfinder, with its cost, or why not); null for Pathfinder's own fit and other methods.</summary>
    internal static string? StartLine(FitResult fit) =>
        fit.PathfinderFit ? null
        : fit.InitializationNote is { } note ? $"note: {note}"
        : fit.Pathfinder is { } r ? string.Create(CultureInfo.InvariantCulture,
            $"start: Pathfinder ({r.Paths.Count(p => p.Succeeded)} of {r.Paths.Count} paths, {r.GradientEvaluations} gradients), fitted in its whitened coordinates")
        : null;
}
