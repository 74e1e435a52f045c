using Vinfer.Experiments.Posteriordb;
using Vinfer.Guides;
using Vinfer.Inference;

namespace Vinfer.Tests.Experiments.Posteriordb;

/// <summary>
/// Pathfinder and Pathfinder-preconditioned ADVI against posteriordb's NUTS references. The three ADVI tests are the
/// posteriors full-rank ADVI from Stan's origin got wrong (docs/posteriordb-accuracy.md: diamonds 11–15 sd, kilpisjarvi
/// 124 sd, kidiq 3.3 sd off) or, with `vinfer fit`'s defaults, nes (0.97 sd: Stan's rule stops it at step 500) and
/// lotka_volterra (12 sd: another mode of the ODE fit); they pass only with the Pathfinder start and whitening
/// (<see cref="AdviInitialization"/>).
/// </summary>
public class PathfinderPosteriordbTests
{
    private static (Action Program, List<ReferenceQuantity> Reference) Load(string name)
    {
        var dir = PosteriordbFiles.RequireDirectory();
        var data = Vinfer.Data.StanData.Load(Path.Combine(dir, name, "data.json"));
        var reference = PosteriordbReference.Load(Path.Combine(dir, name, "reference.json")).Where(q => !q.Derived).ToList();
        return (PosteriordbModel.Registry.Get(name).Bind(data), reference);
    }

    /// <summary>The largest |mean − reference mean| / reference sd over the primary quantities, with its name.</summary>
    private static (double Error, string Name) WorstMeanError(PosteriorDraws draws, IEnumerable<ReferenceQuantity> reference) =>
        reference.Select(q => (Math.Abs(draws.Column(q.Name).Average() - q.Mean) / q.Sd, q.Name)).MaxBy(t => t.Item1);

    [Theory]
    [InlineData("kidiq-kidscore_interaction")]
    [InlineData("kilpisjarvi_mod-kilpisjarvi")]
    [InlineData("arK-arK")]
    public void PathfinderMeansAreWithinAFifthOfASdOfTheReference(string name)
    {
        // 1000 draws resampled from 4 × 1000: the Monte Carlo se of a mean is about 0.03–0.05 sd (ESS 400–1000), so 0.2 sd
        // is 4–6 se; the approximation's own bias is what is tested (measured 0.01–0.07 sd, docs/pathfinder.md).
        var (program, reference) = Load(name);
        var result = Pathfinder.Run(program, new PathfinderOptions());
        var (error, worst) = WorstMeanError(result.Draws, reference);
        Assert.True(error < 0.2, $"{name}: {worst} is {error:F3} sd off");
    }

    [Theory]
    [InlineData("kidiq-kidscore_interaction", 10_000, 0.01)]
    [InlineData("kilpisjarvi_mod-kilpisjarvi", 10_000, 0.01)]
    [InlineData("diamonds-diamonds", 4000, null)]
    [InlineData("nes2000-nes", 10_000, 0.01)]
    [InlineData("hudson_lynx_hare-lotka_volterra", 10_000, 0.01)]
    public void FullRankAdviFromPathfinderGetsTheIllConditionedPosteriors(string name, int steps, double? tolerance)
    {
        // Defaults of `vinfer fit` (Stan's rule at 0.01 on the ELBO, 8 particles, 300 averaged steps); diamonds runs a
        // fixed 4000 steps because its ELBO (≈ 7800) meets the relative rule after 300 steps, before the fit is refined.
        var (program, reference) = Load(name);
        var fit = VariationalFit.Fit(program, new FitOptions { Family = VariationalFamilies.FullRank, Steps = steps, Tolerance = tolerance });
        Assert.NotNull(fit.Pathfinder);
        var (error, worst) = WorstMeanError(fit.Draws, reference);
        Assert.True(error < 0.1, $"{name}: {worst} is {error:F3} sd off");
    }

    [Theory]
    [InlineData("kidiq-kidscore_interaction")]
    [InlineData("kilpisjarvi_mod-kilpisjarvi")]
    public void LowRankAdviFromPathfinderGetsTheIllConditionedRegressions(string name)
    {
        // From the origin low-rank ADVI is 5.8 sd (kidiq) and 263 sd (kilpisjarvi) off (docs/pathfinder.md).
        var (program, reference) = Load(name);
        var fit = VariationalFit.Fit(program, new FitOptions { Family = VariationalFamilies.LowRank });
        var (error, worst) = WorstMeanError(fit.Draws, reference);
        Assert.True(error < 0.1, $"{name}: {worst} is {error:F3} sd off");
    }
}
