using Vinfer.Inference;

namespace Vinfer.Tests.Inference;

/// <summary>The averaging phase of <see cref="VariationalFit.Fit"/> (FitOptions.AverageSteps).</summary>
public sealed class IterateAveragingFitTests
{
    private static double FittedLoc(FitResult fit) =>
        fit.Store.Get(fit.Store.Names.Single(n => n.Contains(".loc.", StringComparison.Ordinal))).Span[0];

    [Fact]
    public void AveragingRemovesTheJitterOfTheLastIterate()
    {
        // One particle, no sticking-the-landing and a large constant-ish rate: the last iterate of the location
        // jitters around the exact posterior mean; the average of 2000 iterates at a fifth of the rate must sit
        // within 0.05 posterior sd of it (a few standard errors of the average at this rate), closer than the
        // last iterate of the same run without averaging, which is further than that in this seed.
        var c = new ConjugateNormal();
        // From the origin, in the raw coordinates: this is about the jitter of Adam's iterates, which starting at
        // Pathfinder's (here exact) answer would hide.
        var baseOptions = new FitOptions { Particles = 1, StickingTheLanding = false, LearningRate = 0.2, Steps = 1000, Tolerance = null, Seed = 5, Draws = 100, Initialization = AdviStart.Origin };
        double plainError = Math.Abs(FittedLoc(VariationalFit.Fit(c.Model, baseOptions)) - c.PosteriorMean) / c.PosteriorSd;
        double averagedError = Math.Abs(FittedLoc(VariationalFit.Fit(c.Model, baseOptions with { AverageSteps = 2000 })) - c.PosteriorMean) / c.PosteriorSd;
        Assert.True(averagedError < 0.05, $"averaged location is {averagedError:F3} posterior sd from the exact mean");
        Assert.True(averagedError < plainError, $"averaged error {averagedError:F3} sd, last-iterate error {plainError:F3} sd");
    }

    [Fact]
    public void NaturalGradientStepsSkipTheAveragingPhaseUnlessAsked()
    {
        // full-rank takes natural-gradient steps (GaussianNaturalGradient), whose size shrinks at the optimum: no
        // averaging by default; mean-field takes Adam's steps and averages; AverageNaturalGradient brings the phase back
        var c = new ConjugateNormal();
        var options = new FitOptions { Steps = 200, Tolerance = null, Seed = 9, Draws = 50 };
        var fullRank = VariationalFit.Fit(c.Model, options with { Family = Vinfer.Guides.VariationalFamilies.FullRank });
        Assert.Equal(0, fullRank.AveragedSteps);
        Assert.Equal(300, VariationalFit.Fit(c.Model, options with { Family = Vinfer.Guides.VariationalFamilies.MeanField }).AveragedSteps);
        var averaged = VariationalFit.Fit(c.Model, options with { Family = Vinfer.Guides.VariationalFamilies.FullRank, AverageNaturalGradient = true, AverageSteps = 50 });
        Assert.Equal(50, averaged.AveragedSteps);
        // and it buys nothing here: on a Gaussian posterior the sticking-the-landing natural gradient is zero at the
        // optimum, so every averaged iterate is the last one
        Assert.Equal(fullRank.Summary[0].Mean, averaged.Summary[0].Mean, 12);
    }

    [Fact]
    public void AveragingIsDeterministicForASeed()
    {
        var c = new ConjugateNormal();
        var options = new FitOptions { Steps = 200, Tolerance = null, AverageSteps = 100, Seed = 9, Draws = 50 };
        Assert.Equal(FittedLoc(VariationalFit.Fit(c.Model, options)), FittedLoc(VariationalFit.Fit(c.Model, options)));
    }

    [Theory]
    [InlineData(-1, 0.2)]
    [InlineData(10, 0.0)]
    [InlineData(10, 1.5)]
    [InlineData(10, double.NaN)]
    public void BadAveragingOptionsAreRejected(int steps, double factor)
    {
        var c = new ConjugateNormal();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => VariationalFit.Fit(c.Model, new FitOptions { AverageSteps = steps, AverageRateFactor = factor }));
        Assert.Contains("Fit: ", e.Message);
    }
}
