using Vinfer.Distributions;
using Vinfer.Modeling;
using Vinfer.Objectives;
using Vinfer.Random;
using Vinfer.Tensors;
using Vinfer.Tests.Inference;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Tests.Objectives;

public class GradientEstimatorTests
{
    private const double M = 0.4, S = 0.7;

    private static void Guide()
    {
        var m = Param("m", Tensor.Scalar(M));
        var s = Param("s", Tensor.Scalar(S), Constraints.Positive);
        Sample("mu", new Normal(m, s));
    }

    private static double GradientInM(GradientEstimator estimator, int particles, ulong seed)
    {
        var c = new ConjugateNormal();
        var store = new ParamStore();
        using var _ = store.Use();
        new Elbo(particles, estimator).Evaluate(c.Model, Guide, 1, new RandomStream(seed)).Loss.Backward();
        return -store.GetUnconstrained("m").Grad!.Item();
    }

    [Fact]
    public void TheScoreFunctionEstimatorIsUnbiasedOnAReparameterizableGuide()
    {
        // d ELBO / dm = Σ(x − m)/σ² − m/s0² exactly; the score-function estimate's mean over repeats must match it
        // within 5 standard errors, and its spread must exceed the pathwise estimator's (it ignores the path).
        var c = new ConjugateNormal();
        double exact = c.X.Sum(x => x - M) / (ConjugateNormal.NoiseScale * ConjugateNormal.NoiseScale) - M / (ConjugateNormal.PriorScale * ConjugateNormal.PriorScale);
        const int repeats = 30, particles = 500;
        var score = Enumerable.Range(0, repeats).Select(r => GradientInM(GradientEstimator.ScoreFunction, particles, (ulong)(200 + r))).ToArray();
        var pathwise = Enumerable.Range(0, repeats).Select(r => GradientInM(GradientEstimator.Reparameterized, particles, (ulong)(200 + r))).ToArray();
        double mean = score.Average();
        double sd = Math.Sqrt(score.Sum(g => (g - mean) * (g - mean)) / (repeats - 1));
        double se = sd / Math.Sqrt(repeats);
        Assert.InRange(mean, exact - 5 * se, exact + 5 * se);
        double pathwiseMean = pathwise.Average();
        double pathwiseSd = Math.Sqrt(pathwise.Sum(g => (g - pathwiseMean) * (g - pathwiseMean)) / (repeats - 1));
        Assert.True(sd > 2 * pathwiseSd, $"score-function sd {sd} vs pathwise {pathwiseSd}");
    }

    [Fact]
    public void TheEstimatorsShareTheirElboEstimate()
    {
        var c = new ConjugateNormal();
        double Estimate(GradientEstimator e)
        {
            using var _ = new ParamStore().Use();
            return new Elbo(16, e).Evaluate(c.Model, Guide, 1, new RandomStream(4)).Estimate;
        }
        double reference = Estimate(GradientEstimator.Reparameterized);
        Assert.Equal(reference, Estimate(GradientEstimator.StickingTheLanding));
        Assert.Equal(reference, Estimate(GradientEstimator.ScoreFunction));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Elbo(2, (GradientEstimator)7));
    }
}
