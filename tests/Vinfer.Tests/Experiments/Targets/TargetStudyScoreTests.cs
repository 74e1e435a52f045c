using Vinfer.Experiments.Targets;
using Vinfer.Random;

namespace Vinfer.Tests.Experiments.Targets;

/// <summary>The targets study's scoring of equally weighted and importance-weighted draws.</summary>
public class TargetStudyScoreTests
{
    /// <summary>
    /// 40,000 exact ring draws, equally weighted: every mode within 5 multinomial standard errors √((1/8)(7/8)/n) of 1/8,
    /// means within 5 standard errors (sd/√n, in exact sds) and sd ratios within 5 standard errors of 1 (the sd of a
    /// sample sd ratio is about √((κ − 1)/(4n)); κ ≤ 3 for the ring's coordinates).
    /// </summary>
    [Fact]
    public void ExactDrawsEquallyWeightedScoreAsExact()
    {
        var ring = new GaussianRing();
        const int n = 40_000;
        var row = TargetStudy.ScoreDraws(ring, "exact", ring.DrawExact(new RandomKey(3), n), null, double.NaN, double.NaN, 0);
        double modeSe = Math.Sqrt(1.0 / 8 * 7 / 8 / n);
        Assert.All(row.ModeWeights, w => Assert.InRange(w, 1.0 / 8 - 5 * modeSe, 1.0 / 8 + 5 * modeSe));
        Assert.InRange(row.MaxMeanError, 0, 5 / Math.Sqrt(n));
        Assert.InRange(row.MinSdRatio, 1 - 5 * Math.Sqrt(2.0 / (4 * n)), 1);
        Assert.InRange(row.MaxSdRatio, 1, 1 + 5 * Math.Sqrt(2.0 / (4 * n)));
        Assert.True(row.MeetsTargets);
    }

    /// <summary>
    /// Weights that remove every draw nearest mode 0 and spread the mass evenly over the rest: mode 0 gets exactly 0,
    /// each other mode its share of the kept draws, and the row fails the ring target.
    /// </summary>
    [Fact]
    public void WeightsMoveTheModeWeightsExactly()
    {
        var ring = new GaussianRing();
        const int n = 8_000;
        var draws = ring.DrawExact(new RandomKey(4), n);
        var modes = Enumerable.Range(0, n).Select(i => ring.NearestMode(draws[2 * i], draws[2 * i + 1])).ToArray();
        int kept = modes.Count(m => m != 0);
        var weights = modes.Select(m => m == 0 ? 0.0 : 1.0 / kept).ToArray();
        var row = TargetStudy.ScoreDraws(ring, "reweighted", draws, weights, double.NaN, double.NaN, 0);
        Assert.Equal(0.0, row.ModeWeights[0]);
        for (int k = 1; k < ring.Modes; k++) Assert.Equal(modes.Count(m => m == k) / (double)kept, row.ModeWeights[k], 12);
        Assert.False(row.MeetsTargets);
    }

    [Fact]
    public void MismatchedWeightsAreAClearError() =>
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => TargetStudy.ScoreDraws(new GaussianRing(), "x", new double[10], new double[4], 0, 0, 0)).ParamName);
}
