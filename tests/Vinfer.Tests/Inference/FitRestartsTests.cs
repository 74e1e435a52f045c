using Vinfer.Diagnostics;
using Vinfer.Distributions;
using Vinfer.Inference;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Tests.Inference;

public class FitRestartsTests
{
    private const double Observed = 9, NoiseScale = 0.1;

    /// <summary>
    /// z ~ N(1, 1), y ~ N(z², 0.1²), y = 9: two modes at z ≈ ±3 (the likelihood's), each nearly Gaussian with sd
    /// 0.1/(2·3); the prior weighs them by exp(−(z − 1)²/2), so the mode at +3 holds e⁶ times the mass of the one at
    /// −3 and a Gaussian fit of it has an ELBO 6 nats higher (to O(σ²)).
    /// </summary>
    private static void Bimodal()
    {
        var z = Sample("z", new Normal(1.0, 1.0));
        Sample("y", new Normal(z * z, Tensor.Scalar(NoiseScale)), Tensor.Scalar(Observed));
    }

    private static readonly FitOptions Options = new() { Seed = 5, Restarts = 6, Draws = 1000, Initialization = AdviStart.Origin };

    [Fact]
    public void RestartsFindBothModesKeepTheHeavierAndReportTheGap()
    {
        var fit = FitRestarts.Fit(Bimodal, Options);
        Assert.Equal(6, fit.Restarts.Count);
        var modes = fit.Restarts.Select(r => r.Summary[0].Mean).ToArray();
        Assert.Contains(modes, m => Math.Abs(m + 3) < 0.05);
        Assert.Contains(modes, m => Math.Abs(m - 3) < 0.05);
        // the kept fit is the mode at +3: its mean 3 − 2σ²/36 to within 5 MCSE and the optimizer's jitter
        Assert.Equal(3 - 2 * NoiseScale * NoiseScale / 36, fit.Summary[0].Mean, 0.01);
        var comparison = fit.Verdict.Restarts!;
        Assert.False(comparison.Agree);
        Assert.Equal(6.0, comparison.Gap, 0.3);
        Assert.Equal(FitTrust.Caution, fit.Verdict.Trust);
        Assert.Contains("restarts disagree", fit.Verdict.Describe());
    }

    [Fact]
    public void StanInitializationDrawsTheLocationFromUniformMinusTwoToTwo()
    {
        var fit = VariationalFit.Fit(Bimodal, new FitOptions { Seed = 2, InitialRadius = 2, Steps = 1, Tolerance = null, AverageSteps = 0, LearningRate = 1e-9, Draws = 10 });
        double loc = fit.Store.Unconstrained.Single(p => p.Key.Contains(".loc")).Value.ToArray()[0];
        Assert.InRange(loc, -2, 2);
        Assert.NotEqual(0, loc);
    }

    [Fact]
    public void OneStartHasNoRestartComparison()
    {
        var fit = FitRestarts.Fit(Bimodal, Options with { Restarts = 1 });
        Assert.Null(fit.Verdict.Restarts);
        Assert.Single(fit.Restarts);
        Assert.Throws<ArgumentOutOfRangeException>(() => FitRestarts.Fit(Bimodal, Options with { Restarts = 0 }));
    }
}
