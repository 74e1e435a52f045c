using Vinfer.Modeling;
using Vinfer.Objectives;
using Vinfer.Random;

namespace Vinfer.Tests.Objectives;

public class LinearGaussianModelTests
{
    [Fact]
    public void LogWeightsAtTheExactPosteriorAllEqualTheEvidence()
    {
        var model = new LinearGaussianModel(dimension: 3, observedDimension: 4, points: 5, noise: 0.7, seed: 1);
        using var _ = new ParamStore().Use();
        var w = ParticleLogWeights.Compute(model.Model, model.ExactPosteriorGuide(), 7, 1, new RandomStream(3));
        foreach (double v in w.LogWeights.Span) Assert.Equal(model.LogEvidence(), v, 9);
    }

    [Fact]
    public void ElboOfAPerturbedGuideMatchesTheClosedFormWithinMonteCarloError()
    {
        var model = new LinearGaussianModel(3, 4, 5, 0.7, seed: 2);
        var (loc, tril) = model.PerturbedGuideParameters(shift: 0.3, widen: 1.4);
        using var _ = new ParamStore().Use();
        const int particles = 20_000;
        var w = ParticleLogWeights.Compute(model.Model, model.Guide(loc, tril), particles, 1, new RandomStream(4)).LogWeights.ToArray();
        double mean = w.Average();
        double se = Math.Sqrt(w.Sum(v => (v - mean) * (v - mean)) / (particles - 1) / particles);
        double exact = model.RenyiBound(1, loc, tril);
        Assert.InRange(mean, exact - 5 * se, exact + 5 * se);
        Assert.True(exact < model.LogEvidence());
    }
}
