using Vinfer.Distributions;
using Vinfer.Modeling;
using Vinfer.Objectives;
using Vinfer.Random;
using Vinfer.Tensors;
using Vinfer.Tests.Inference;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Tests.Objectives;

public class ElboTests
{
    private const double M = 0.4, S = 0.7;

    private static void Guide()
    {
        var m = Param("m", Tensor.Scalar(M));
        var s = Param("s", Tensor.Scalar(S), Constraints.Positive);
        Sample("mu", new Normal(m, s));
    }

    private static (double Mean, double StandardError) MeanAndError(ReadOnlySpan<double> w)
    {
        double mean = 0;
        foreach (var v in w) mean += v;
        mean /= w.Length;
        double ss = 0;
        foreach (var v in w) ss += (v - mean) * (v - mean);
        return (mean, Math.Sqrt(ss / (w.Length - 1) / w.Length));
    }

    [Fact]
    public void ElboOfConjugateModelMatchesClosedFormWithinMonteCarloError()
    {
        var c = new ConjugateNormal();
        using var _ = new ParamStore().Use();
        var value = new Elbo(particles: 20_000).Evaluate(c.Model, Guide, 1, new RandomStream(11));
        var lw = value.Weights.LogWeights;
        Assert.Equal([20_000], lw.Shape.ToArray());
        var (mean, se) = MeanAndError(lw.Span);
        Assert.Equal(mean, value.Estimate, 9);
        Assert.InRange(value.Estimate, c.ClosedFormElbo(M, S) - 5 * se, c.ClosedFormElbo(M, S) + 5 * se);
        Assert.Equal(-value.Estimate, value.Loss.Item(), 9);
    }

    [Fact]
    public void ParticleLogWeightsAreLogJointMinusLogGuide()
    {
        var c = new ConjugateNormal();
        using var _ = new ParamStore().Use();
        var w = ParticleLogWeights.Compute(c.Model, Guide, 5, 1, new RandomStream(2));
        var mu = w.GuideTrace["mu"].Value!;
        Assert.Equal([5, 1], mu.Shape.ToArray());
        for (int i = 0; i < 5; i++)
        {
            double z = mu.Span[i];
            double logP = LogNormal(z, 0, ConjugateNormal.PriorScale) + c.X.Sum(x => LogNormal(x, z, ConjugateNormal.NoiseScale));
            double logQ = LogNormal(z, M, S);
            Assert.Equal(logP, w.LogP.Span[i], 10);
            Assert.Equal(logQ, w.LogQ.Span[i], 12);
        }
    }

    private static double LogNormal(double x, double m, double s) => -0.5 * ((x - m) / s) * ((x - m) / s) - Math.Log(s) - 0.5 * Math.Log(2 * Math.PI);

    [Fact]
    public void GradientOfReparameterizedElboMatchesClosedFormGradient()
    {
        var c = new ConjugateNormal();
        var store = new ParamStore();
        using var _ = store.Use();
        const int particles = 20_000;
        var value = new Elbo(particles).Evaluate(c.Model, Guide, 1, new RandomStream(5));
        value.Loss.Backward();
        double gm = -store.GetUnconstrained("m").Grad!.Item();
        // d ELBO / dm = Σ(x − m)/σ² − m/s0²
        double exact = c.X.Sum(x => x - M) / (ConjugateNormal.NoiseScale * ConjugateNormal.NoiseScale) - M / (ConjugateNormal.PriorScale * ConjugateNormal.PriorScale);
        // The pathwise gradient in m is −precision·(mu_s − m_post) averaged: its sd is precision·S.
        double se = c.PosteriorPrecision * S / Math.Sqrt(particles);
        Assert.InRange(gm, exact - 5 * se, exact + 5 * se);
    }

    [Fact]
    public void StickingTheLandingHasZeroGradientVarianceAtTheExactPosterior()
    {
        var c = new ConjugateNormal();
        var store = new ParamStore();
        using var _ = store.Use();
        void ExactGuide()
        {
            var m = Param("m", Tensor.Scalar(c.PosteriorMean));
            var s = Param("s", Tensor.Scalar(c.PosteriorSd), Constraints.Positive);
            Sample("mu", new Normal(m, s));
        }
        var value = new Elbo(particles: 3, stickingTheLanding: true).Evaluate(c.Model, ExactGuide, 1, new RandomStream(8));
        value.Loss.Backward();
        Assert.Equal(0.0, store.GetUnconstrained("m").Grad!.Item(), 10);
        Assert.Equal(0.0, store.GetUnconstrained("s").Grad!.Item(), 10);
    }

    [Fact]
    public void AnalyticKlElboMatchesClosedFormWithinMonteCarloError()
    {
        var c = new ConjugateNormal();
        using var _ = new ParamStore().Use();
        var value = new AnalyticKlElbo(particles: 4000).Evaluate(c.Model, Guide, 1, new RandomStream(3));
        // Only the likelihood term is random: Σ log N(x_i | mu, σ) with mu ~ q; its per-particle sd bounds the error.
        var mu = value.Weights.GuideTrace["mu"].Value!.ToArray();
        var lik = new double[mu.Length];
        for (int i = 0; i < lik.Length; i++) lik[i] = c.X.Sum(x => LogNormal(x, mu[i], ConjugateNormal.NoiseScale));
        var (_, se) = MeanAndError(lik);
        double exact = c.ClosedFormElbo(M, S);
        Assert.InRange(value.Estimate, exact - 5 * se, exact + 5 * se);
        // Exactly: the mean likelihood term minus the analytic KL(N(M, S²) ‖ N(0, s0²)).
        double s0 = ConjugateNormal.PriorScale;
        double kl = Math.Log(s0 / S) + (S * S + M * M) / (2 * s0 * s0) - 0.5;
        Assert.Equal(lik.Average() - kl, value.Estimate, 8);
    }

    [Fact]
    public void ScoreFunctionEstimatorIsUnbiasedForANonReparameterizableGuide()
    {
        // The same model and guide, with the guide's normal marked non-reparameterizable: the surrogate's gradient
        // is the score-function estimator, whose mean must match the exact gradient within its Monte Carlo error.
        var c = new ConjugateNormal();
        const int repeats = 30, particles = 1000;
        var grads = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            var store = new ParamStore();
            using var _ = store.Use();
            void ScoreGuide()
            {
                var m = Param("m", Tensor.Scalar(M));
                var s = Param("s", Tensor.Scalar(S), Constraints.Positive);
                Sample("mu", new NonReparameterized(new Normal(m, s)));
            }
            var value = new Elbo(particles).Evaluate(c.Model, ScoreGuide, 1, new RandomStream((ulong)(100 + r)));
            value.Loss.Backward();
            grads[r] = -store.GetUnconstrained("m").Grad!.Item();
        }
        var (mean, se) = MeanAndError(grads);
        double exact = c.X.Sum(x => x - M) / (ConjugateNormal.NoiseScale * ConjugateNormal.NoiseScale) - M / (ConjugateNormal.PriorScale * ConjugateNormal.PriorScale);
        Assert.InRange(mean, exact - 5 * se, exact + 5 * se);
    }

    /// <summary>A distribution that hides its base's reparameterized sampler (draws are cut from the graph).</summary>
    private sealed class NonReparameterized(Distribution inner) : Distribution(inner.BatchShape, inner.EventShape, false)
    {
        public override Constraint Support => inner.Support;
        public override Tensor LogProb(Tensor value) => inner.LogProb(value);
        public override Tensor Sample(RandomStream rng, params int[] sampleShape) => inner.Sample(rng, sampleShape);
        public override Distribution Expand(params int[] batchShape) => new NonReparameterized(inner.Expand(batchShape));
    }
}
