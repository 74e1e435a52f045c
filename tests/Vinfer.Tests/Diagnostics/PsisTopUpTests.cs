using Vinfer.Diagnostics;
using Vinfer.Guides;
using Vinfer.Inference;
using Xunit.Abstractions;

namespace Vinfer.Tests.Diagnostics;

/// <summary>When a fit's PSIS is redone on more draws (<see cref="PsisTopUp"/>).</summary>
public sealed class PsisTopUpTests(ITestOutputHelper output)
{
    // PSIS's tail for 1,000 draws: ⌈min(200, 3√1000)⌉ = 95 ratios
    private const int Tail1000 = 95;

    private static PosteriorSummary Plain(double mean) => new("x", mean, 1.0, mean - 1.645, mean, mean + 1.645, 1000);

    private static ReweightedMoments Weighted(double mean, double mcse) => new("x", mean, 1.0, mcse);

    [Fact]
    public void KHatsStandardErrorIsTheShapeEstimatorsAsymptoticOne()
    {
        Assert.Equal(1.85 / Math.Sqrt(95), PsisTopUp.KHatStandardError(0.85, Tail1000), 14);
        Assert.Equal(0.5 / Math.Sqrt(400), PsisTopUp.KHatStandardError(-0.7, 400), 14); // below −1/2 the MLE variance formula stops; held there
        Assert.Equal(double.PositiveInfinity, PsisTopUp.KHatStandardError(double.PositiveInfinity, Tail1000));
    }

    [Fact]
    public void FromAThousandDrawsTheBandEndsWhereKHatIsOnePointSixFourFiveStandardErrorsAboveFourThousandDrawsThreshold()
    {
        // k − 1.645 (1 + k)/√95 = 0.7  ⇔  k = (0.7 + 1.645/√95) / (1 − 1.645/√95)
        double edge = (0.7 + 1.645 / Math.Sqrt(95)) / (1 - 1.645 / Math.Sqrt(95));
        output.WriteLine($"band from 1,000 draws: k̂ < {edge:F4}");
        Assert.True(PsisTopUp.KHatMayPass(edge - 1e-9, Tail1000, 4000));
        Assert.False(PsisTopUp.KHatMayPass(edge + 1e-9, Tail1000, 4000));
        Assert.True(PsisTopUp.KHatMayPass(0.90, Tail1000, 4000)); // eight schools full-rank, seed 1, before the change
        Assert.False(PsisTopUp.KHatMayPass(double.NaN, Tail1000, 4000));
    }

    [Fact]
    public void MoreDrawsOnlyWhenTheReweightingMovesAMeanBeyondItsNoise()
    {
        IReadOnlyList<PosteriorSummary> plain = [Plain(0.0)];
        IReadOnlyList<ReweightedMoments> moved = [Weighted(0.3, 0.1)], noise = [Weighted(0.15, 0.1)];
        // case (a): PSIS moments already reported
        Assert.True(PsisTopUp.Wanted(true, 0.6, Tail1000, 1000, 4000, plain, moved));
        Assert.False(PsisTopUp.Wanted(true, 0.6, Tail1000, 1000, 4000, plain, noise));
        // case (b): k̂ above the 1,000-draw threshold 0.667, within the band
        Assert.True(PsisTopUp.Wanted(false, 0.9, Tail1000, 1000, 4000, plain, moved));
        Assert.False(PsisTopUp.Wanted(false, 0.9, Tail1000, 1000, 4000, plain, noise));
        // beyond the band, or nothing to add, or no weights
        Assert.False(PsisTopUp.Wanted(false, 1.2, Tail1000, 1000, 4000, plain, moved));
        Assert.False(PsisTopUp.Wanted(false, 0.9, Tail1000, 4000, 4000, plain, moved));
        Assert.False(PsisTopUp.Wanted(false, 0.9, Tail1000, 1000, 4000, plain, null));
        // from 50 draws (tail 10) the band would reach k̂ ≈ 2: case (b) adds at most 4× the draws asked for
        Assert.False(PsisTopUp.Wanted(false, 0.9, 10, 50, 4000, plain, moved));
        Assert.True(PsisTopUp.Wanted(true, 0.3, 10, 50, 4000, plain, moved));
    }

    /// <summary>
    /// Eight schools, full-rank, seed 1: k̂ from the first 1,000 draws is 0.79, above their threshold 0.667 (so they alone
    /// report the guide's means, whose τ is 0.17 sd low), but within the band; from 4,000 draws it is below 0.7 and the
    /// reported PSIS means are within 0.1 NUTS sd of the reference (k̂ 0.50, largest error 0.032 over every parameter;
    /// the guide's own τ is 0.22 sd low).
    /// </summary>
    [Fact]
    public void EightSchoolsSeedOneIsToppedUpFromAboveTheThresholdAndReportsPsisMeans()
    {
        var reference = new Dictionary<string, (double Mean, double Sd)>
        {
            ["mu"] = (4.43004818694424, 3.32777664191261),
            ["tau"] = (3.60545271789147, 3.23002138443374),
        };
        var model = new Vinfer.Models.EightSchools().Bind(Vinfer.Models.EightSchools.ClassicData);
        var options = new FitOptions { Family = VariationalFamilies.FullRank, Seed = 1 };
        var thousand = VariationalFit.Fit(model, options with { PsisDraws = 1000 });
        output.WriteLine($"1,000 draws: k̂ {thousand.KHat:F2}, {thousand.Reported.Reason}");
        Assert.InRange(thousand.KHat, ParetoSmoothedImportanceSampling.SampleSizeThreshold(1000), 1.0);
        Assert.False(thousand.Reported.IsPsis);

        var fit = VariationalFit.Fit(model, options);
        output.WriteLine($"default: k̂ {fit.KHat:F2}, {fit.Draws.Count} draws, {fit.Reported.Reason}");
        Assert.Equal(4000, fit.Draws.Count);
        Assert.True(fit.Reported.IsPsis, fit.Reported.Reason);
        foreach (var (name, (mean, sd)) in reference)
        {
            double error = (fit.Reported.Summary.Single(s => s.Name == name).Mean - mean) / sd;
            output.WriteLine($"{name}: reported {error:+0.000;-0.000} sd");
            Assert.InRange(error, -0.1, 0.1);
        }
    }
}
