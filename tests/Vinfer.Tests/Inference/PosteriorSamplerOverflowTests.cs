using Vinfer.Diagnostics;
using Vinfer.Distributions;
using Vinfer.Guides;
using Vinfer.Inference;
using Vinfer.Modeling;
using Vinfer.Random;
using Vinfer.Tensors;
using Vinfer.Tensors.Kernels;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Tests.Inference;

/// <summary>
/// A guide draw whose transform to the constrained space overflows (τ = exp(u) = ∞ for u above log(double.MaxValue) ≈
/// 709.78) after the fit: the model's normal(0, τ) rejects the infinite scale. The draw is a draw of q, so it is kept:
/// τ = +∞, log q finite, log p = −∞ (importance weight 0), counted in <see cref="PosteriorDraws.Unscored"/>; every
/// other draw of its chunk is scored exactly as without the overflow.
/// </summary>
public class PosteriorSamplerOverflowTests
{
    private const double Y = 0.5;

    private static void Model()
    {
        var tau = Sample("tau", new LogNormal(0.0, 1.0));
        var theta = Sample("theta", new Normal(Tensor.Scalar(0.0), tau));
        Deterministic("twice_theta", theta * 2.0);
        Sample("y", new Normal(theta, Tensor.Scalar(1.0)), Tensor.Scalar(Y));
    }

    /// <summary>log p(y, τ, θ) in closed form: lognormal(τ; 0, 1) · normal(θ; 0, τ) · normal(y; θ, 1).</summary>
    private static double LogJoint(double tau, double theta)
    {
        double c = -0.5 * Math.Log(2 * Math.PI);
        double logTau = Math.Log(tau);
        return (c - logTau - 0.5 * logTau * logTau) + (c - logTau - 0.5 * theta * theta / (tau * tau)) + (c - 0.5 * (Y - theta) * (Y - theta));
    }

    /// <summary>An AutoNormal guide whose log τ is normal(709, 1): P(log τ &gt; 709.78) = P(Z &gt; 0.78…) ≈ 0.218 of the draws overflow.</summary>
    private static (AutoNormal Guide, ParamStore Store) OverflowingGuide()
    {
        var guide = new AutoNormal(Model, initScale: 1.0);
        var store = new ParamStore();
        using (store.Use()) guide.InitializeParameters();
        var values = store.SnapshotValues();
        values["AutoNormal.loc.tau"] = [709.0];
        store.RestoreValues(values);
        return (guide, store);
    }

    [Fact]
    public void AnOverflowingDrawIsKeptWithLogPMinusInfinityAndCounted()
    {
        var (guide, store) = OverflowingGuide();
        const int n = 2000;
        var draws = PosteriorSampler.Draw(Model, guide.Run, ModelPrototype.Capture(Model), store, n, new RandomStream(new RandomKey(3)));
        double logMax = Math.Log(double.MaxValue);
        double p = 0.5 * SpecialFunctions.Erfc((logMax - 709.0) / Math.Sqrt(2));
        // the count is binomial(n, p): within 5 standard errors
        Assert.InRange(draws.Unscored, n * p - 5 * Math.Sqrt(n * p * (1 - p)), n * p + 5 * Math.Sqrt(n * p * (1 - p)));
        var tau = draws.Column("tau");
        var theta = draws.Column("theta");
        var twice = draws.Column("twice_theta");
        int infinite = 0;
        for (int i = 0; i < n; i++)
        {
            Assert.True(double.IsFinite(draws.LogQ[i]), $"draw {i}: log q {draws.LogQ[i]}");
            if (double.IsPositiveInfinity(tau[i]))
            {
                infinite++;
                Assert.Equal(double.NegativeInfinity, draws.LogP[i]);
                Assert.True(double.IsFinite(theta[i]));
                Assert.True(double.IsNaN(twice[i]), "a deterministic site of an unscored draw is NaN");
            }
            else
            {
                Assert.Equal(LogJoint(tau[i], theta[i]), draws.LogP[i], 1e-9 * Math.Abs(draws.LogP[i]));
                Assert.Equal(2 * theta[i], twice[i], 12);
            }
        }
        Assert.Equal(draws.Unscored, infinite);
    }

    /// <summary>PSIS gives the unscored draws weight 0, and the reweighted moments ignore their infinite τ.</summary>
    [Fact]
    public void PsisGivesAnUnscoredDrawWeightZero()
    {
        var (guide, store) = OverflowingGuide();
        var draws = PosteriorSampler.Draw(Model, guide.Run, ModelPrototype.Capture(Model), store, 500, new RandomStream(new RandomKey(4)));
        Assert.True(draws.Unscored > 0);
        var logWeights = ParetoSmoothedImportanceSampling.Smooth(draws.LogRatios()).NormalizedLogWeights();
        var tau = draws.Column("tau");
        for (int i = 0; i < draws.Count; i++)
            if (double.IsPositiveInfinity(tau[i])) Assert.Equal(double.NegativeInfinity, logWeights[i]);
        var moments = ReweightedMoments.Compute(draws.Names, draws.Values, logWeights);
        // (τ's scored draws are near e^709 themselves, so its sd may overflow; 0·∞ must not turn its mean into NaN)
        Assert.All(moments, m => Assert.True(double.IsFinite(m.Mean) && !double.IsNaN(m.Sd), $"{m.Name}: mean {m.Mean}, sd {m.Sd}"));
    }

    /// <summary>Without an overflow the draws are those of the one-pass path, bit for bit (the same stream order).</summary>
    [Fact]
    public void DrawsWithoutAnOverflowAreUnchanged()
    {
        var guide = new AutoNormal(Model, initScale: 1.0);
        var store = new ParamStore();
        using (store.Use()) guide.InitializeParameters();
        var draws = PosteriorSampler.Draw(Model, guide.Run, ModelPrototype.Capture(Model), store, 100, new RandomStream(new RandomKey(5)));
        Assert.Equal(0, draws.Unscored);
        var w = ParticleLogWeightsOf(guide, store, 64, new RandomStream(new RandomKey(5)));
        for (int i = 0; i < 64; i++) Assert.Equal(w[i], draws.LogP[i]);
    }

    private static double[] ParticleLogWeightsOf(AutoNormal guide, ParamStore store, int n, RandomStream random)
    {
        using var _ = store.Use();
        using var __ = GradMode.Disable();
        return Vinfer.Objectives.ParticleLogWeights.Compute(Model, guide.Run, n, guide.MaxPlateNesting, random).LogP.ToArray();
    }
}
