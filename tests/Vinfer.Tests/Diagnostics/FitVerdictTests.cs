using Vinfer.Diagnostics;

namespace Vinfer.Tests.Diagnostics;

public class FitVerdictTests
{
    [Fact]
    public void StationarityComparesTheLastTwoBlockMeansWithTheirStandardError()
    {
        // blocks of 4: [1, 3, 1, 3] (mean 2, variance 4/3) then [5, 7, 5, 7] (mean 6, variance 4/3)
        double[] trace = [100, 1, 3, 1, 3, 5, 7, 5, 7];
        var s = ObjectiveStationarity.Assess(trace, 4)!;
        Assert.Equal(4.0, s.Change, 12);
        Assert.Equal(Math.Sqrt((4.0 / 3 + 4.0 / 3) / 4), s.StandardError, 12);
        Assert.False(s.Stationary); // 4 nats > 1 nat and > 2 × 0.816
        Assert.Null(ObjectiveStationarity.Assess(trace[..7], 4));
    }

    [Fact]
    public void StationarityCountsNoiseAndSubNatChangesAsStopped()
    {
        Assert.True(new ObjectiveStationarity(0.9, 0.01, 100).Stationary); // below the 1-nat slack
        Assert.True(new ObjectiveStationarity(5.0, 3.0, 100).Stationary); // within 2 standard errors
        Assert.False(new ObjectiveStationarity(-1e4, 30, 100).Stationary); // a large-N fit still climbing
    }

    [Fact]
    public void RestartsDisagreeOnlyBeyondMonteCarloErrorAndTheSlack()
    {
        var same = RestartComparison.Compare([-10.0, -10.3, -10.1], [0.1, 0.1, 0.1]);
        Assert.Equal(0, same.Best);
        Assert.Equal(1, same.Worst);
        Assert.Equal(0.3, same.Gap, 12);
        Assert.True(same.Agree);
        var different = RestartComparison.Compare([-16.0, -10.0, double.NaN], [0.05, 0.05, 0.05]);
        Assert.Equal(1, different.Best);
        Assert.Equal(2, different.Worst);
        Assert.False(different.Agree);
        var noisy = RestartComparison.Compare([-16.0, -10.0], [2.0, 2.0]); // 6 nats within 4 × 2.83
        Assert.True(noisy.Agree);
        Assert.Equal(Math.Sqrt(8), noisy.GapStandardError, 12);
    }

    [Fact]
    public void VerdictReadsKHatByVehtariThresholds()
    {
        Assert.Equal(FitTrust.Good, FitVerdict.Assess(0.3, true, null, null, 0.03).Trust);
        Assert.Equal(FitTrust.Caution, FitVerdict.Assess(0.6, true, null, null, 0.03).Trust);
        Assert.Equal(FitTrust.Unreliable, FitVerdict.Assess(0.71, true, null, null, 0.03).Trust);
        Assert.Equal(FitTrust.Unreliable, FitVerdict.Assess(double.NaN, true, null, null, 0.03).Trust);
        Assert.Equal(FitTrust.Good, FitVerdict.Assess(double.NaN, false, null, null, 0.03).Trust);
    }

    [Fact]
    public void VerdictCautionsOnDisagreementMovingTraceOrLargeMonteCarloError()
    {
        var disagree = RestartComparison.Compare([-16.0, -10.0], [0.05, 0.05]);
        var v = FitVerdict.Assess(0.3, true, disagree, null, 0.03);
        Assert.Equal(FitTrust.Caution, v.Trust);
        Assert.Contains("restarts disagree", v.Describe());
        Assert.Equal(FitTrust.Caution, FitVerdict.Assess(0.3, true, null, new ObjectiveStationarity(50, 1, 100), 0.03).Trust);
        Assert.Equal(FitTrust.Caution, FitVerdict.Assess(0.3, true, null, null, 0.2).Trust);
        Assert.Equal(FitTrust.Unreliable, FitVerdict.Assess(0.9, true, disagree, null, 0.03).Trust);
    }

    [Fact]
    public void ReweightedMomentsMatchTheWeightedSumsByHand()
    {
        // two parameters, three draws, weights 1/2, 1/4, 1/4
        double[] draws = [1, 10, 3, 20, 5, 40];
        double[] logWeights = [Math.Log(0.5), Math.Log(0.25), Math.Log(0.25)];
        var m = ReweightedMoments.Compute(["a", "b"], draws, logWeights);
        Assert.Equal(0.5 * 1 + 0.25 * 3 + 0.25 * 5, m[0].Mean, 12); // 2.5
        double va = 0.5 * 2.25 + 0.25 * 0.25 + 0.25 * 6.25;
        Assert.Equal(Math.Sqrt(va), m[0].Sd, 12);
        Assert.Equal(Math.Sqrt(0.25 * 2.25 + 0.0625 * 0.25 + 0.0625 * 6.25), m[0].Mcse, 12);
        Assert.Equal(0.5 * 10 + 0.25 * 20 + 0.25 * 40, m[1].Mean, 12);
        Assert.Equal(1 / (0.25 + 0.0625 + 0.0625), ReweightedMoments.EffectiveSampleSize(logWeights), 12);
    }

    [Fact]
    public void VerdictAppliesTheSampleSizeThresholdOfKHat()
    {
        // min(1 − 1/log10 S, 0.7): 0.667 for 1000 draws, 0.7 from about 2154 draws on (Vehtari et al. 2024, §3.2.4)
        Assert.Equal(1 - 1 / 3.0, ParetoSmoothedImportanceSampling.SampleSizeThreshold(1000), 12);
        var few = FitVerdict.Assess(0.68, true, null, null, 0.03, draws: 1000);
        Assert.Equal(FitTrust.Unreliable, few.Trust);
        Assert.Contains(few.Reasons, r => r.Contains("threshold for 1000 draws", StringComparison.Ordinal));
        Assert.Equal(FitTrust.Caution, FitVerdict.Assess(0.68, true, null, null, 0.03, draws: 10_000).Trust);
        Assert.Equal(FitTrust.Caution, FitVerdict.Assess(0.68, true, null, null, 0.03).Trust); // draws unknown: 0.7 alone
        Assert.Equal(FitTrust.Good, FitVerdict.Assess(0.4, true, null, null, 0.03, draws: 100).Trust); // 1 − 1/2 = 0.5
    }

    [Fact]
    public void ReweightingShiftIsTheLargestSignificantMoveInPlainSds()
    {
        PosteriorSummary Plain(string name, double mean, double sd) => new(name, mean, sd, 0, 0, 0, 1000);
        var plain = new[] { Plain("a", 1.0, 2.0), Plain("b", 0.0, 1.0), Plain("c", 5.0, 0.0) };
        var reweighted = new[]
        {
            new ReweightedMoments("a", 2.0, 2.0, 0.2), // moves 0.5 sd ± 0.1: significant
            new ReweightedMoments("b", 0.6, 1.0, 0.4), // moves 0.6 sd ± 0.4: within 2 standard errors
            new ReweightedMoments("c", 9.0, 1.0, 0.1), // plain sd 0: skipped
        };
        var shift = ReweightingShift.Largest(plain, reweighted)!;
        Assert.Equal("a", shift.Parameter);
        Assert.Equal(0.5, shift.Shift, 12);
        Assert.Equal(0.1, shift.StandardError, 12);
        Assert.True(shift.Significant);
        Assert.False(new ReweightingShift("x", 0.2, 0.01).Significant); // beyond noise but below 0.25 sd
        Assert.False(new ReweightingShift("x", 0.6, 0.31).Significant); // material but within noise
        Assert.Null(ReweightingShift.Largest([Plain("c", 5.0, 0.0)], reweighted));
    }

    [Fact]
    public void VerdictCallsAUsableFitWhosePsisMeansMoveUnreliable()
    {
        var moves = new ReweightingShift("mu", 0.69, 0.23); // the mean-field centred eight schools fit of the suite
        var usable = FitVerdict.Assess(0.69, true, null, null, 0.03, draws: 2000, shift: moves);
        Assert.Equal(FitTrust.Unreliable, usable.Trust);
        Assert.Contains(usable.Reasons, r => r.Contains("moves the mean of mu", StringComparison.Ordinal));
        Assert.Same(moves, usable.Shift);
        // at a good k̂ PSIS is reliable, so its moments are the answer: caution, not unreliable
        Assert.Equal(FitTrust.Caution, FitVerdict.Assess(0.3, true, null, null, 0.03, draws: 2000, shift: moves).Trust);
        Assert.Equal(FitTrust.Caution, FitVerdict.Assess(0.69, true, null, null, 0.03, draws: 2000, shift: new ReweightingShift("mu", 0.1, 0.02)).Trust);
    }
}
