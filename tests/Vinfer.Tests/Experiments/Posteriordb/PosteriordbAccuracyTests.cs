using Vinfer.Inference;
using Vinfer.Guides;
using Vinfer.Experiments.Posteriordb.Models;
using Vinfer.Tensors;

using Vinfer.Experiments.Posteriordb;

namespace Vinfer.Tests.Experiments.Posteriordb;

/// <summary>
/// ADVI against posteriordb's gold standard (issue 4, item 8). Seeds are fixed, so every number is deterministic.
/// </summary>
public class PosteriordbAccuracyTests
{
    // the study's fixed-step protocol, as these tests were written for; the fit pipeline's rows are tested below
    private static readonly PosteriordbAccuracyOptions Ci = new() { Steps = 2000, Particles = 16, Draws = 4000, Seed = 1, FixedSteps = true };

    /// <summary>
    /// The easy posteriors, where mean-field ADVI must get every mean within 0.2 reference sd, and why they are easy:
    /// close to Gaussian in Stan's unconstrained coordinates with at most moderate correlations, so the mean-field
    /// optimum's means coincide with the posterior's (a Gaussian's mean-field optimum has the exact mean; only the sds
    /// shrink). gp_regr: 3-D, nearly uncorrelated positive hyper-parameters; arK: Gaussian, |corr| ≤ 0.63 among
    /// lags; arma11: nearly Gaussian, weak correlations; dogs: 3-D logistic regression, near-Gaussian;
    /// low_dim_gauss_mix: unimodal after ordering, near-Gaussian; mesquite and nes: Gaussian linear regressions.
    /// Left out: eight_schools_noncentered (τ's skewed marginal puts the mean-field mean of τ near 0.2 sd from the
    /// reference: borderline, reported in the table, not asserted), and the hard ones below.
    /// The mean error's Monte Carlo sd from 4000 draws is at most sd_VI/√4000 ≈ 0.016 sd, far below the 0.2 bound.
    /// </summary>
    public static TheoryData<string> Easy() => new(
        "gp_pois_regr-gp_regr", "arK-arK", "arma-arma11", "dogs_legacy-dogs", "low_dim_gauss_mix-low_dim_gauss_mix",
        "mesquite-logmesquite", "nes2000-nes");

    [Theory]
    [MemberData(nameof(Easy))]
    public void MeanFieldGetsTheMeansOfEasyPosteriors(string posterior)
    {
        // nes's uncentred predictors make mean-field Adam walk a ridge (intercept vs slopes): measured 0.70 sd after
        // 2000 steps, 0.16 after 4000, 0.03 after 10000, so it gets more steps (still ~1 s).
        var options = posterior == "nes2000-nes" ? Ci with { Steps = 10_000 } : Ci;
        var row = PosteriordbAccuracy.Run(posterior, VariationalFamily.MeanField, options);
        Assert.True(row.MaxMeanError <= 0.2, $"{posterior}: max |Δmean|/sd = {row.MaxMeanError:F3} at {row.WorstParameter}");
    }

    /// <summary>
    /// Where mean-field cannot fit: kilpisjarvi (corr −0.99999), diamonds (condition number ~2.6e5), centred eight
    /// schools (a funnel). The fit must say so through k̂ &gt; 0.7 rather than report a confident wrong answer.
    /// From Stan's origin start: from Pathfinder's start (the default since issue 13) centred eight schools' mean-field
    /// fit is 0.94 sd off with k̂ = 0.69, a failure k̂ alone does not flag (the PSIS shift does:
    /// <see cref="PosteriordbSuiteTests.MeanFieldCentredEightSchoolsFromPathfinderIsCalledUnreliable"/>).
    /// </summary>
    [Theory]
    [InlineData("kilpisjarvi_mod-kilpisjarvi")]
    [InlineData("diamonds-diamonds")]
    [InlineData("eight_schools-eight_schools_centered")]
    public void MeanFieldFailureIsFlaggedByKHat(string posterior)
    {
        var row = PosteriordbAccuracy.Run(posterior, VariationalFamily.MeanField, Ci with { Steps = 1000, Draws = 2000, Initialization = AdviStart.Origin });
        Assert.True(row.KHat > 0.7, $"{posterior}: k̂ = {row.KHat:F2} does not flag the mean-field fit (max |Δmean|/sd = {row.MaxMeanError:F3})");
    }

    /// <summary>
    /// The RK4 solve of the Lotka–Volterra model at the default step against one with steps 8 times smaller, at the
    /// reference posterior means: the largest difference in log population must be orders of magnitude below the
    /// posterior sd of the measurement scale σ (≈ 0.04–0.05, from reference.json), which bounds the posterior sd of log z.
    /// </summary>
    [Fact]
    public void LotkaVolterraSolverErrorIsFarBelowThePosteriorSd()
    {
        var dir = PosteriordbFiles.RequireDirectory();
        var reference = PosteriordbReference.Load(Path.Combine(dir, "hudson_lynx_hare-lotka_volterra", "reference.json")).ToDictionary(q => q.Name);
        Tensor S(string n) => Tensor.Scalar(reference[n].Mean);
        var ts = Enumerable.Range(1, 20).Select(i => (double)i).ToArray();
        var (u1, v1) = LotkaVolterraSolver.Solve(S("theta[1]"), S("theta[2]"), S("theta[3]"), S("theta[4]"), S("z_init[1]"), S("z_init[2]"), ts);
        var (u2, v2) = LotkaVolterraSolver.Solve(S("theta[1]"), S("theta[2]"), S("theta[3]"), S("theta[4]"), S("z_init[1]"), S("z_init[2]"), ts, LotkaVolterraSolver.MaxStep / 8);
        double worst = 0;
        for (int i = 0; i < ts.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(Math.Log(u1[i].Item()) - Math.Log(u2[i].Item())));
            worst = Math.Max(worst, Math.Abs(Math.Log(v1[i].Item()) - Math.Log(v2[i].Item())));
        }
        double sigmaSd = Math.Min(reference["sigma[1]"].Sd, reference["sigma[2]"].Sd);
        Assert.True(worst < 1e-3 * sigmaSd, $"RK4 log-population error {worst:E2} vs posterior sd of sigma {sigmaSd:F4}");
    }
}
