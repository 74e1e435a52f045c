using System.Diagnostics;
using Vinfer.Diagnostics;
using Vinfer.Guides;

namespace Vinfer.Inference;

/// <summary>
/// Pathfinder as a fit (Zhang, Carpenter, Gelman &amp; Vehtari, JMLR 2022): multi-path <see cref="Pathfinder.Run"/>,
/// reported like any variational fit (<see cref="FitResult"/>): the draws are the PSIS-resampled draws of all paths,
/// k̂ is that of the pooled importance ratios, the guide is the full-rank normal of the best path (saved and loaded
/// like a full-rank ADVI guide), the ELBO is estimated from that path's draws, and the "steps" are the L-BFGS
/// iterations of all paths.
/// </summary>
public static class PathfinderFit
{
    /// <summary>Runs Pathfinder on <paramref name="model"/> as <paramref name="options"/> say.</summary>
    public static FitResult Fit(Action model, PathfinderOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var result = Pathfinder.Run(model, options);
        var good = result.Paths.Where(p => p.Succeeded).ToList();
        var best = result.Best;
        int offset = good.IndexOf(best) * options.DrawsPerPath;
        var ratios = result.Proposals.LogRatios().AsSpan(offset, options.DrawsPerPath).ToArray();
        double elbo = ratios.Average();
        var summary = PosteriorSummary.ComputeColumns(result.Draws.Names, result.Draws.Values);
        var run = new SviRun(result.Paths.Sum(p => p.Iterations), good.All(p => p.Stop is not null && p.Stop != Optim.LbfgsStop.MaxIterations),
            best.Elbos.ToArray(), [], 0, double.NaN, result.Seconds);
        var fit = new FitResult(VariationalFamilies.FullRank, result.BestGuide, result.BestStore, run, result.Draws, summary, elbo, result.KHat, clock.Elapsed.TotalSeconds)
        {
            Pathfinder = result,
            PathfinderFit = true,
        };
        // Pathfinder's draws get the same "did it work?" verdict as an ADVI fit (k̂ above all), so --fail-on-khat applies.
        VariationalFit.Assess(fit, null);
        return fit;
    }
}
