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

    /// <summary>
    /// The funnel's closed-form sd of xᵢ, e^{9/4}, against Var xᵢ = ∫ e^v N(v; 0, 3²) dv by the trapezoid rule on
    /// [−40, 60] (the integrand is a normal density in v with mean 9 times e^{4.5}: the grid error is far below 1e-9).
    /// </summary>
    [Fact]
    public void TheFunnelsClosedFormMomentsMatchTheIntegral()
    {
        var (mean, sd) = new NealsFunnel().ExactMoments!.Value;
        Assert.All(mean, m => Assert.Equal(0.0, m));
        Assert.Equal(3.0, sd[0]);
        double h = 1e-3, sum = 0;
        for (double v = -40; v <= 60; v += h) sum += Math.Exp(v) * Math.Exp(-v * v / 18) / Math.Sqrt(2 * Math.PI * 9) * h;
        Assert.All(sd.Skip(1), s => Assert.Equal(Math.Sqrt(sum), s, 1e-9 * s));
    }

    /// <summary>
    /// Two draws per coordinate at ±(exact sd), half the weight each, have exactly the funnel's means and sds: scored
    /// against the closed form they give error 0 and ratio 1 to rounding (against 100,000 exact draws they would not:
    /// those draws' xᵢ sds are about 25 % off).
    /// </summary>
    [Fact]
    public void TheFunnelIsScoredAgainstItsClosedFormMoments()
    {
        var funnel = new NealsFunnel();
        var (_, sd) = funnel.ExactMoments!.Value;
        int d = funnel.Dimension;
        var draws = new double[2 * d];
        for (int j = 0; j < d; j++) { draws[j] = sd[j]; draws[d + j] = -sd[j]; }
        var row = TargetStudy.ScoreDraws(funnel, "two points", draws, [0.5, 0.5], double.NaN, double.NaN, 0);
        Assert.Equal(0.0, row.MaxMeanError, 12);
        Assert.Equal(1.0, row.MinSdRatio, 12);
        Assert.Equal(1.0, row.MaxSdRatio, 12);
        Assert.True(row.MeetsTargets);
    }

    [Fact]
    public void MismatchedWeightsAreAClearError() =>
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => TargetStudy.ScoreDraws(new GaussianRing(), "x", new double[10], new double[4], 0, 0, 0)).ParamName);
}
