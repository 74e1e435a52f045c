using System.Diagnostics;
using System.Globalization;
using Vinfer.Guides;
using Vinfer.Inference;

namespace Vinfer.Experiments.Posteriordb;

/// <summary>One posterior fitted by Pathfinder or by ADVI from a given start, against the reference, with its cost.</summary>
/// <param name="Posterior">The posteriordb folder name.</param>
/// <param name="Method">"pathfinder" or "advi (family, start)".</param>
/// <param name="MaxMeanError">max |mean − reference mean| / reference sd over the primary quantities.</param>
/// <param name="WorstParameter">Where it is reached.</param>
/// <param name="MinSdRatio">The smallest sd / reference sd.</param>
/// <param name="MaxSdRatio">The largest sd / reference sd.</param>
/// <param name="KHat">PSIS k̂ of the fit.</param>
/// <param name="AdviSteps">ADVI's optimization steps (0 for Pathfinder).</param>
/// <param name="PathfinderGradients">Log-density gradients spent by Pathfinder (as the fit or as ADVI's start).</param>
/// <param name="PathfinderDensities">Log densities without gradient spent by Pathfinder (ELBO estimates and draws).</param>
/// <param name="AdviGradients">Log-density gradients spent by ADVI: (steps + averaged steps) × particles.</param>
/// <param name="Seconds">Wall time.</param>
public sealed record PathfinderStudyRow(string Posterior, string Method, double MaxMeanError, string WorstParameter, double MinSdRatio, double MaxSdRatio,
    double KHat, int AdviSteps, long PathfinderGradients, long PathfinderDensities, long AdviGradients, double Seconds);

/// <summary>
/// Pathfinder (Zhang et al., JMLR 2022) on the posteriordb suite, alone and as ADVI's start (<see cref="AdviInitialization"/>),
/// against the NUTS references: the figures of docs/pathfinder.md. ADVI runs with <c>vinfer fit</c>'s defaults
/// (<see cref="FitOptions"/>: Stan's rule at 0.01, 8 particles, 300 averaged steps) unless a fixed step count is given.
/// </summary>
public static class PathfinderStudy
{
    /// <summary>
    /// Fits <paramref name="posterior"/>: with Pathfinder when <paramref name="family"/> is null, else with ADVI of that
    /// family from <paramref name="start"/> (<paramref name="fixedSteps"/> steps exactly, or Stan's rule when null).
    /// </summary>
    public static PathfinderStudyRow Run(string posterior, VariationalFamily? family, AdviStart start, int? fixedSteps, ulong seed, string? directory = null)
    {
        directory ??= PosteriordbFiles.RequireDirectory();
        var data = Data.StanData.Load(Path.Combine(directory, posterior, "data.json"));
        var reference = PosteriordbReference.Load(Path.Combine(directory, posterior, "reference.json")).Where(q => !q.Derived).ToList();
        var program = PosteriordbModel.Registry.Get(posterior).Bind(data);
        var clock = Stopwatch.StartNew();
        var options = new FitOptions { Seed = seed };
        var fit = family is null
            ? PathfinderFit.Fit(program, new PathfinderOptions { Seed = seed })
            : VariationalFit.Fit(program, options with { Family = family, Initialization = start, Steps = fixedSteps ?? options.Steps, Tolerance = fixedSteps is null ? options.Tolerance : null });
        double seconds = clock.Elapsed.TotalSeconds;
        var errors = reference.Select(q =>
        {
            var column = fit.Draws.Column(q.Name);
            double mean = column.Average();
            double sd = Math.Sqrt(column.Sum(v => (v - mean) * (v - mean)) / (column.Length - 1));
            return (q.Name, Error: Math.Abs(mean - q.Mean) / q.Sd, Ratio: sd / q.Sd);
        }).ToList();
        var worst = errors.MaxBy(e => e.Error);
        string method = family is null ? "pathfinder" : $"advi ({family.Name}, {(start == AdviStart.Pathfinder ? "from Pathfinder" : "from origin")}{(fixedSteps is { } n ? $", {n} steps" : "")})";
        return new PathfinderStudyRow(posterior, method, worst.Error, worst.Name, errors.Min(e => e.Ratio), errors.Max(e => e.Ratio), fit.KHat,
            family is null ? 0 : fit.Run.Steps, fit.Pathfinder?.GradientEvaluations ?? 0, fit.Pathfinder?.DensityEvaluations ?? 0,
            family is null ? 0 : (long)(fit.Run.Steps + fit.AveragedSteps) * options.Particles, seconds);
    }

    /// <summary>The markdown table header of <see cref="ToMarkdownRow"/>.</summary>
    public const string MarkdownHeader =
        "| posterior | method | max \\|Δmean\\|/sd (worst) | sd ratio | k̂ | ADVI steps | Pathfinder gradients | Pathfinder densities | ADVI gradients | seconds |\n" +
        "|---|---|---|---|---|---|---|---|---|---|";

    /// <summary>One markdown table row.</summary>
    public static string ToMarkdownRow(PathfinderStudyRow r) => string.Create(CultureInfo.InvariantCulture,
        $"| {r.Posterior} | {r.Method} | {r.MaxMeanError:F3} ({r.WorstParameter}) | {r.MinSdRatio:F2}–{r.MaxSdRatio:F2} | {r.KHat:F2} | {(r.AdviSteps > 0 ? r.AdviSteps.ToString(CultureInfo.InvariantCulture) : "–")} | {r.PathfinderGradients} | {r.PathfinderDensities} | {r.AdviGradients} | {r.Seconds:F1} |");
}
