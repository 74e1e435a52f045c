using Vinfer.Distributions;
using Vinfer.Guides;
using Vinfer.Inference;
using Vinfer.Modeling;
using Vinfer.Random;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Tests.Inference;

/// <summary>
/// <see cref="AlphaMoments"/> on models: the Gaussian guide over the unconstrained latents reaches the exact fixed
/// point of the update (the posterior itself when it is Gaussian; the quadrature fixed point on the log scale of a
/// Gamma latent, Jacobian included) within Monte Carlo error derived from the number of draws, through
/// <see cref="FitLoop"/> (checkpoints resume bit-identically).
/// </summary>
public class AlphaMomentsTests
{
    private const double Rho = 0.8, Shift = 1.5;

    private static void Correlated()
    {
        var z1 = Sample("z1", new Normal(Shift, 1.0));
        Sample("z2", new Normal((z1 - Shift) * Rho, Tensor.Scalar(Math.Sqrt(1 - Rho * Rho))));
    }

    /// <summary>mu ~ N(0.5, 2²) and sigma ~ Gamma(3, 2), independent: on u = log sigma the target is 3u − 2eᵘ + const.</summary>
    private static void LocationAndScale()
    {
        Sample("mu", new Normal(0.5, 2.0));
        Sample("sigma", new Gamma(3.0, 2.0));
    }

    private static double LogSigmaTarget(double u) => 3 * u - 2 * Math.Exp(u);

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.2)]
    public void ConjugatePosteriorIsReachedWithinMonteCarloError(double alpha)
    {
        // The posterior is Gaussian, so it is the fixed point for every α. Near it the exact update maps the mean and
        // the variance to α·(guide) + (1−α)·(posterior) (ζ's precision is αΛ_q + (1−α)Λ_p), so estimation noise of
        // one update (sd/√S for the mean, v·√(2/S) for the variance, all weights equal at the fixed point) reaches the
        // average of K iterates amplified by 1/(1−α) and divided by √K.
        var data = new ConjugateNormal();
        const int samples = 1000, averaged = 200;
        var fit = AlphaMomentsFit.Fit(data.Model, new AlphaMomentsOptions { Alpha = alpha, Samples = samples, Steps = 100, AverageSteps = averaged, Damping = 0.5, Seed = 3 });
        double mean = fit.Store.Get("AutoNormal.loc.mu").Item(), sd = fit.Store.Get("AutoNormal.scale.mu").Item();
        double v = data.PosteriorSd * data.PosteriorSd;
        double tolMean = 5 * data.PosteriorSd / Math.Sqrt(samples) / (1 - alpha) / Math.Sqrt(averaged);
        double tolVar = 5 * v * Math.Sqrt(2.0 / samples) / (1 - alpha) / Math.Sqrt(averaged);
        Assert.True(Math.Abs(mean - data.PosteriorMean) <= tolMean, $"mean {mean} vs {data.PosteriorMean} (tolerance {tolMean})");
        Assert.True(Math.Abs(sd * sd - v) <= tolVar, $"variance {sd * sd} vs {v} (tolerance {tolVar})");
        Assert.Equal("alpha-moments", fit.Method);
        Assert.Equal(samples, fit.AlphaMoments!.Samples);
        Assert.InRange(fit.KHat, double.NegativeInfinity, 0.5);
    }

    [Fact]
    public void FullRankFindsTheCorrelationOfAGaussianTarget()
    {
        const int samples = 2000, averaged = 200;
        const double alpha = 0.5;
        var fit = AlphaMomentsFit.Fit(Correlated, new AlphaMomentsOptions { Family = VariationalFamily.FullRank, Alpha = alpha, Samples = samples, Steps = 100, AverageSteps = averaged, Seed = 5 });
        var guide = (AutoMultivariateNormal)fit.Guide;
        Tensor l;
        using (fit.Store.Use()) l = guide.ScaleTril();
        var cov = l.MatMul(l.MT);
        var loc = fit.Store.Get("AutoMultivariateNormal.loc");
        // Same amplification argument as the conjugate case (unit variances): sd of a covariance entry's estimate ≤ √(2/S).
        double tolMean = 5 / Math.Sqrt(samples) / (1 - alpha) / Math.Sqrt(averaged);
        double tolCov = 5 * Math.Sqrt(2.0 / samples) / (1 - alpha) / Math.Sqrt(averaged);
        Assert.True(Math.Abs(loc.Span[0] - Shift) <= tolMean && Math.Abs(loc.Span[1]) <= tolMean, $"mean ({loc.Span[0]}, {loc.Span[1]})");
        Assert.True(Math.Abs(cov[0, 0] - 1) <= tolCov && Math.Abs(cov[1, 1] - 1) <= tolCov && Math.Abs(cov[0, 1] - Rho) <= tolCov,
            $"covariance [{cov[0, 0]}, {cov[0, 1]}; {cov[1, 1]}] (tolerance {tolCov})");
    }

    [Fact]
    public void ConstrainedLatentReachesTheQuadratureFixedPointOnItsUnconstrainedScale()
    {
        const double alpha = 0.5, damping = 0.5;
        const int samples = 2000, averaged = 200;
        // The exact fixed point on u = log sigma (Jacobian included) by quadrature, and its contraction rate.
        var grid = new AlphaQuadrature(-30, 8, 7601, LogSigmaTarget);
        double m = 0, v = 1;
        var path = new List<(double M, double V)> { (m, v) };
        for (int k = 0; k < 300; k++)
        {
            var zeta = grid.Zeta(grid.Nodes.Select(x => AlphaQuadrature.NormalLogDensity(x, m, v)).ToArray(), alpha);
            var (mn, vn) = AlphaMomentsGaussianUpdate.Diagonal([m], [v], grid.Nodes, zeta, damping);
            (m, v) = (mn[0], vn[0]);
            path.Add((m, v));
        }
        double Distance(int k) => Math.Sqrt(Math.Pow(path[k].M - path[k - 1].M, 2) + Math.Pow(path[k].V - path[k - 1].V, 2));
        double rho = Distance(40) / Distance(39);
        Assert.InRange(rho, 0, 0.9);
        var logQ = grid.Nodes.Select(x => AlphaQuadrature.NormalLogDensity(x, m, v)).ToArray();
        var (seMean, biasMean) = grid.ImportanceError(logQ, alpha, x => x, samples);
        var (seVar, biasVar) = grid.ImportanceError(logQ, alpha, x => (x - m) * (x - m), samples);
        biasVar += (1 - damping) * 3 * seMean * seMean;
        double tolerance = damping / (1 - rho) * (5 * Math.Sqrt(seMean * seMean + seVar * seVar) / Math.Sqrt(averaged) + biasMean + biasVar);

        var fit = AlphaMomentsFit.Fit(LocationAndScale, new AlphaMomentsOptions { Alpha = alpha, Damping = damping, Samples = samples, Steps = 100, AverageSteps = averaged, Seed = 9 });
        double fitMean = fit.Store.Get("AutoNormal.loc.sigma").Item(), fitSd = fit.Store.Get("AutoNormal.scale.sigma").Item();
        Assert.True(Math.Abs(fitMean - m) <= tolerance, $"mean of log sigma {fitMean} vs exact {m} (tolerance {tolerance})");
        Assert.True(Math.Abs(fitSd * fitSd - v) <= tolerance, $"variance of log sigma {fitSd * fitSd} vs exact {v} (tolerance {tolerance})");
        Assert.True(tolerance < 0.02, $"tolerance {tolerance} is too loose");
        // The other site is Gaussian: its fixed point is its prior, and the two sites' coordinates are not mixed up.
        Assert.Equal(0.5, fit.Store.Get("AutoNormal.loc.mu").Item(), 1);
        Assert.Equal(2.0, fit.Store.Get("AutoNormal.scale.mu").Item(), 1);
    }

    [Fact]
    public void ResumedRunIsBitIdentical()
    {
        AlphaMoments Build(ParamStore store) => new(LocationAndScale, new AutoNormal(LocationAndScale, 1.0), store, 0.5, 0.5, 64);
        var whole = Build(new ParamStore());
        new FitLoop(whole).Run(new SviOptions { Steps = 20, EvalEvery = 5, Seed = 4 });
        var first = Build(new ParamStore());
        var loop = new FitLoop(first);
        loop.Run(new SviOptions { Steps = 10, EvalEvery = 5, Seed = 4 });
        var checkpoint = FitLoopCheckpoint.FromJson(loop.LastCheckpoint!.ToJson());
        var resumed = Build(new ParamStore());
        new FitLoop(resumed).Run(new SviOptions { Steps = 20, EvalEvery = 5, Seed = 4 }, checkpoint);
        Assert.Equal(whole.Mean, resumed.Mean);
        Assert.Equal(whole.Covariance(), resumed.Covariance());
        Assert.Equal(whole.Store.Get("AutoNormal.scale.sigma").ToArray(), resumed.Store.Get("AutoNormal.scale.sigma").ToArray());
    }

    [Fact]
    public void RecoveryRestoresTheGuideAndBacksTheDampingOff()
    {
        var algorithm = new AlphaMoments(LocationAndScale, new AutoNormal(LocationAndScale, 1.0), new ParamStore(), 0.5, 0.5, 64);
        algorithm.Update(new RandomStream(1));
        var saved = algorithm.CaptureState();
        var mean = algorithm.Mean.ToArray();
        var scale = algorithm.Store.Get("AutoNormal.scale.sigma").ToArray();
        algorithm.Update(new RandomStream(2));
        Assert.NotEqual(mean, algorithm.Mean.ToArray());
        algorithm.RestoreState(saved);
        Assert.Equal(mean, algorithm.Mean.ToArray());
        Assert.Equal(scale, algorithm.Store.Get("AutoNormal.scale.sigma").ToArray());
        algorithm.BackOff(0.5);
        Assert.Equal(0.25, algorithm.Damping);
        Assert.Equal(0.25, algorithm.StepSize);
        Assert.Equal(0.5, algorithm.InitialDamping);
        // A covariance that is not positive definite is refused and leaves the guide as it was.
        var full = new AlphaMoments(Correlated, new AutoMultivariateNormal(Correlated, 1.0), new ParamStore(), 0.5, 0.5, 64);
        Assert.Throws<InvalidOperationException>(() => full.SetGaussian([0.0, 0.0], [1.0, 2.0, 2.0, 1.0]));
        Assert.Equal([1.0, 0.0, 0.0, 1.0], full.Covariance());
    }

    [Fact]
    public void BadSettingsAreRejectedWithTheArgumentNamed()
    {
        var store = new ParamStore();
        var guide = new AutoNormal(LocationAndScale);
        Assert.Contains("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => new AlphaMoments(LocationAndScale, guide, store, 1.0, 0.5, 10)).Message);
        Assert.Contains("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => new AlphaMoments(LocationAndScale, guide, store, double.PositiveInfinity, 0.5, 10)).Message);
        Assert.Contains("damping", Assert.Throws<ArgumentOutOfRangeException>(() => new AlphaMoments(LocationAndScale, guide, store, 0.5, 0.0, 10)).Message);
        Assert.Contains("samples", Assert.Throws<ArgumentOutOfRangeException>(() => new AlphaMoments(LocationAndScale, guide, store, 0.5, 0.5, 1)).Message);
        Assert.Contains("AutoDelta", Assert.Throws<ArgumentException>(() => new AlphaMoments(LocationAndScale, new AutoDelta(LocationAndScale), store, 0.5, 0.5, 10)).Message);
        Assert.Contains("family", Assert.Throws<ArgumentOutOfRangeException>(() => AlphaMomentsFit.Fit(LocationAndScale, new AlphaMomentsOptions { Family = VariationalFamily.LowRank })).Message);
    }
}
