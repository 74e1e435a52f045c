using Vinfer.Data;
using Vinfer.Inference;
using Vinfer.Models;

using Vinfer.Guides;

namespace Vinfer.Tests.Models;

public class BuiltInModelTests
{
    [Fact]
    public void RegistryFindsEveryBuiltInModel()
    {
        foreach (var name in new[] { "eight_schools", "eight_schools_centered", "linear_regression", "logistic_regression", "poisson_regression" })
            Assert.True(ModelRegistry.Library.TryGet(name, out _), name);
        Assert.Contains("eight_schools", Assert.Throws<ArgumentException>(() => ModelRegistry.Library.Get("nope")).Message);
    }

    [Fact]
    public void EightSchoolsLatentsFollowStanNames()
    {
        var model = ModelRegistry.Library.Get("eight_schools").Bind(EightSchools.ClassicData);
        var proto = ModelPrototype.Capture(model);
        Assert.Equal(["mu", "tau", "theta_trans"], proto.Latents.Select(l => l.Name));
        Assert.Equal(1, proto.MaxPlateNesting);
        Assert.Equal(["theta[1]", "theta[2]"], StanNames.Expand("theta", [8]).Take(2));
    }

    [Fact]
    public void EightSchoolsFitReportsTheGuidesQuantilesAndKHat()
    {
        var model = ModelRegistry.Library.Get("eight_schools").Bind(EightSchools.ClassicData);
        var fit = VariationalFit.Fit(model, new FitOptions { Seed = 1 });
        Assert.Contains("theta[8]", fit.Draws.Names);
        Assert.Contains("theta_trans[1]", fit.Draws.Names);
        Assert.Equal(Vinfer.Diagnostics.ParetoSmoothedImportanceSampling.Smooth(fit.Draws.LogRatios()).KHat, fit.KHat); // k̂ of the reported draws
        var mu = fit.Summary.Single(s => s.Name == "mu");
        var tau = fit.Summary.Single(s => s.Name == "tau");
        // Reference (posteriordb, NUTS): mu mean 4.4, sd 3.3; tau mean 3.6, sd 3.2. Mean-field is close for mu.
        Assert.InRange(mu.Mean, 4.4 - 0.5 * 3.3, 4.4 + 0.5 * 3.3);

        // The mean-field guide puts log tau ~ Normal(m, s), so tau's p-quantile is exp(m + s·Φ⁻¹(p)). The summary comes
        // from n = 1000 draws: the standard error of a sample p-quantile of log tau is s·√(p(1 − p)/n)/φ(Φ⁻¹(p)).
        string loc = fit.Store.Names.Single(n => n.EndsWith(".loc.tau")), scale = fit.Store.Names.Single(n => n.EndsWith(".scale.tau"));
        double m = fit.Store.Get(loc).Item(), sd = fit.Store.Get(scale).Item();
        // The guide is fitted in Pathfinder's diagonal whitening (m₀ + s₀·w): its log tau is Normal(m₀ + s₀ m, s₀ s).
        if (((Vinfer.Guides.AutoNormal)fit.Guide).Preconditioner is { } whitening)
        {
            int offset = fit.Guide.Latents.TakeWhile(l => l.Name != "tau").Sum(l => l.UnconstrainedCount);
            m = whitening.Shift[offset] + whitening.Scales[offset] * m;
            sd *= whitening.Scales[offset];
        }
        int n = fit.Draws.Count;
        foreach (var (p, q) in new[] { (0.05, tau.Q5), (0.5, tau.Q50), (0.95, tau.Q95) })
        {
            double z = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, p);
            double se = sd * Math.Sqrt(p * (1 - p) / n) / MathNet.Numerics.Distributions.Normal.PDF(0, 1, z);
            Assert.True(Math.Abs(Math.Log(q) - (m + sd * z)) <= 5 * se, $"tau q{p}: {q:G6} vs exp(m + s·z) = {Math.Exp(m + sd * z):G6} (se of log {se:G3})");
        }

        // The reported quantiles are the type-7 sample quantiles of the reported draws (Hyndman and Fan 1996).
        var sortedTau = fit.Draws.Column("tau").Order().ToArray();
        double Type7(double p) { double h = (n - 1) * p; int lo = (int)Math.Floor(h); return sortedTau[lo] + (h - lo) * (sortedTau[Math.Min(lo + 1, n - 1)] - sortedTau[lo]); }
        Assert.Equal(Type7(0.05), tau.Q5, 1e-12);
        Assert.Equal(Type7(0.5), tau.Q50, 1e-12);
        Assert.Equal(Type7(0.95), tau.Q95, 1e-12);

        // theta is the deterministic mu + tau·theta_trans of each draw.
        var (muDraws, tauDraws) = (fit.Draws.Column("mu"), fit.Draws.Column("tau"));
        for (int j = 1; j <= 8; j++)
        {
            var theta = fit.Draws.Column($"theta[{j}]");
            var thetaTrans = fit.Draws.Column($"theta_trans[{j}]");
            for (int i = 0; i < n; i++)
                Assert.True(Math.Abs(theta[i] - (muDraws[i] + tauDraws[i] * thetaTrans[i])) <= 1e-12 * (1 + Math.Abs(theta[i])), $"theta[{j}] of draw {i}");
        }
    }

    [Fact]
    public void MissingOrMalformedFieldsAreNamed()
    {
        var m = ModelRegistry.Library.Get("eight_schools");
        var missing = StanData.FromValues([new("J", 2), new("y", new[] { 1.0, 2.0 })]);
        Assert.Contains("'sigma'", Assert.Throws<DataFormatException>(() => m.Bind(missing)).Message);
        var wrong = StanData.FromValues([new("J", 3), new("y", new[] { 1.0, 2.0 }), new("sigma", new[] { 1.0, 1.0, 1.0 })]);
        Assert.Contains("'y'", Assert.Throws<DataFormatException>(() => m.Bind(wrong)).Message);
        var negative = StanData.FromValues([new("J", 2), new("y", new[] { 1.0, 2.0 }), new("sigma", new[] { 1.0, -1.0 })]);
        Assert.Contains("'sigma'", Assert.Throws<DataFormatException>(() => m.Bind(negative)).Message);
        var logistic = StanData.FromValues([new("N", 2), new("D", 1), new("X", new double[,] { { 1 }, { 2 } }), new("y", new[] { 0.0, 2.0 })]);
        Assert.Contains("'y'", Assert.Throws<DataFormatException>(() => ModelRegistry.Library.Get("logistic_regression").Bind(logistic)).Message);
    }
}

public class GlmModelTests
{
    private static StanData Simulate(bool poisson, int n, double alpha, double[] beta, int seed)
    {
        var rng = new System.Random(seed);
        var x = new double[n, beta.Length];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            double eta = alpha;
            for (int j = 0; j < beta.Length; j++) { x[i, j] = rng.NextDouble() * 2 - 1; eta += x[i, j] * beta[j]; }
            if (poisson)
            {
                // Knuth's multiplication method: fine for the small rates here.
                double l = Math.Exp(-Math.Exp(eta)), p = 1;
                int k = 0;
                do { k++; p *= rng.NextDouble(); } while (p > l);
                y[i] = k - 1;
            }
            else y[i] = rng.NextDouble() < 1 / (1 + Math.Exp(-eta)) ? 1 : 0;
        }
        return StanData.FromValues([new("N", n), new("D", beta.Length), new("X", x), new("y", y)]);
    }

    [Theory]
    [InlineData("logistic_regression", false)]
    [InlineData("poisson_regression", true)]
    public void RecoversTheSimulatingCoefficientsWithinTheirPosteriorSpread(string name, bool poisson)
    {
        double alpha = 0.3;
        double[] beta = [1.0, -0.5, 0.0];
        var data = Simulate(poisson, 800, alpha, beta, seed: 12);
        var fit = VariationalFit.Fit(ModelRegistry.Library.Get(name).Bind(data), new FitOptions { Steps = 800, Tolerance = null, Draws = 400, Seed = 3 });
        // The truth lies within 4 posterior sd of the posterior mean unless something is wrong (a 4-sd miss on any of
        // four coefficients has probability < 3e-4 for a well-calibrated posterior).
        var s = fit.Summary.ToDictionary(p => p.Name);
        Assert.InRange(alpha, s["alpha"].Mean - 4 * s["alpha"].Sd, s["alpha"].Mean + 4 * s["alpha"].Sd);
        for (int j = 0; j < beta.Length; j++)
        {
            var b = s[$"beta[{j + 1}]"];
            Assert.InRange(beta[j], b.Mean - 4 * b.Sd, b.Mean + 4 * b.Sd);
        }
        Assert.True(fit.KHat < 0.7, $"k̂ = {fit.KHat}");
    }
}
