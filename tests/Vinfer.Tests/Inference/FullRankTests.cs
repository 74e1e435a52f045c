using Vinfer.Distributions;
using Vinfer.Guides;
using Vinfer.Inference;
using Vinfer.Objectives;
using Vinfer.Optim;
using Vinfer.Random;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Tests.Inference;

public class FullRankTests
{
    private const double Rho = 0.8, Shift = 1.5;

    /// <summary>z1 ~ N(1.5, 1), z2 | z1 ~ N(ρ(z1 − 1.5), 1 − ρ²): jointly normal with unit variances and correlation ρ.</summary>
    private static void Correlated()
    {
        var z1 = Sample("z1", new Normal(Shift, 1.0));
        Sample("z2", new Normal((z1 - Shift) * Rho, Tensor.Scalar(Math.Sqrt(1 - Rho * Rho))));
    }

    [Fact]
    public void FullRankRecoversTheCovarianceOfACorrelatedGaussian()
    {
        // The family contains the target and sticking-the-landing removes the gradient noise at the optimum, so SGD
        // converges to it exactly (up to rounding).
        var guide = new AutoMultivariateNormal(Correlated);
        var svi = new Svi(Correlated, guide, new Sgd(0.1), new Elbo(particles: 4, stickingTheLanding: true));
        svi.Run(new SviOptions { Steps = 1500, Seed = 2 });
        Tensor l;
        using (svi.Store.Use()) l = guide.ScaleTril();
        var cov = l.MatMul(l.MT);
        Assert.Equal(1.0, cov[0, 0], 6);
        Assert.Equal(1.0, cov[1, 1], 6);
        Assert.Equal(Rho, cov[0, 1], 6);
        var loc = svi.Store.Get("AutoMultivariateNormal.loc");
        Assert.Equal(Shift, loc.Span[0], 6);
        Assert.Equal(0.0, loc.Span[1], 6);
        // At the exact posterior every importance ratio is the evidence (here 1): log w = 0 for every draw.
        using (svi.Store.Use())
        {
            var w = ParticleLogWeights.Compute(Correlated, guide.Run, 50, 0, new RandomStream(3));
            foreach (var v in w.LogWeights.Span) Assert.Equal(0.0, v, 5);
        }
    }

    [Fact]
    public void MeanFieldCannotAndSaysSoThroughItsVariances()
    {
        // Mean-field on the same target: the optimum's variances are the conditional ones, 1 − ρ² (Bishop, PRML §10.1.2).
        var guide = new AutoNormal(Correlated);
        // Gradient noise stays (the family misses the target); 256 particles and a decaying step size bring the
        // iterate within 0.01 of the optimum.
        var sgd = new Sgd(0.2) { Schedule = LearningRateSchedule.InverseTime(0.2, 0.02) };
        var svi = new Svi(Correlated, guide, sgd, new Elbo(particles: 256, stickingTheLanding: true));
        svi.Run(new SviOptions { Steps = 400, Seed = 2 });
        Assert.Equal(Math.Sqrt(1 - Rho * Rho), svi.Store.Get("AutoNormal.scale.z1").Item(), 2);
        Assert.Equal(Math.Sqrt(1 - Rho * Rho), svi.Store.Get("AutoNormal.scale.z2").Item(), 2);
    }

    [Fact]
    public void LowRankGuideFitsAndSavesItsRank()
    {
        var guide = new AutoLowRankMultivariateNormal(Correlated, rank: 1);
        var svi = new Svi(Correlated, guide, new Adam(0.05), new Elbo(particles: 4, stickingTheLanding: true));
        svi.Run(new SviOptions { Steps = 1500, Seed = 4 });
        var loaded = GuideFile.FromJson(guide.ToJson(svi.Store));
        Assert.Equal(1, Assert.IsType<AutoLowRankMultivariateNormal>(loaded.Guide).Rank);
        // A rank-1 factor plus a diagonal holds this covariance; check the fitted correlation.
        using (svi.Store.Use())
        {
            var w = svi.Store.Get("AutoLowRankMultivariateNormal.cov_factor");
            var d = svi.Store.Get("AutoLowRankMultivariateNormal.cov_diag");
            double c00 = w.Span[0] * w.Span[0] + d.Span[0], c11 = w.Span[1] * w.Span[1] + d.Span[1], c01 = w.Span[0] * w.Span[1];
            Assert.InRange(c01 / Math.Sqrt(c00 * c11), Rho - 0.05, Rho + 0.05);
        }
    }
}
