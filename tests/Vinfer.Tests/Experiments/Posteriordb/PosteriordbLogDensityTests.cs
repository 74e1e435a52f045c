using Vinfer.Data;
using Vinfer.Tensors;

using Vinfer.Experiments.Posteriordb;

using Vinfer.Inference;

namespace Vinfer.Tests.Experiments.Posteriordb;

/// <summary>
/// Each posteriordb model's unconstrained log density (prior + likelihood + Jacobian) at a few random points against
/// an independent scalar computation of its model.md formula and Stan's transforms. Densities are compared as
/// differences between points, so the dropped constants cancel and a wrong prior, likelihood or Jacobian term fails.
/// </summary>
public class PosteriordbLogDensityTests
{
    private delegate double HandDensity(Func<string, double[]> u, StanData d);

    private static double Sq(double x) => x * x;
    private static double Logistic(double x) => 1 / (1 + Math.Exp(-x));
    private static double LogHalfCauchy(double x, double s) => -Math.Log(1 + Sq(x / s));
    private static double LogNormal(double x, double m, double s) => -Sq(x - m) / (2 * s * s);
    private static double GaussLik(double r, double sigma) => -Math.Log(sigma) - r * r / (2 * sigma * sigma);
    private static double[] V(StanData d, string name) => d.GetVector(name).Span.ToArray();

    private static readonly Dictionary<string, HandDensity> Hand = new()
    {
        ["arK-arK"] = (u, d) =>
        {
            int k = d.GetInt("K"), t = d.GetInt("T"); var y = V(d, "y");
            double alpha = u("alpha")[0]; var beta = u("beta"); double s = u("sigma")[0], sigma = Math.Exp(s);
            double lp = LogNormal(alpha, 0, 10) + beta.Sum(b => LogNormal(b, 0, 10)) + LogHalfCauchy(sigma, 2.5) + s;
            for (int i = k; i < t; i++)
            {
                double m = alpha;
                for (int j = 0; j < k; j++) m += beta[j] * y[i - j - 1];
                lp += GaussLik(y[i] - m, sigma);
            }
            return lp;
        },
        ["arma-arma11"] = (u, d) =>
        {
            var y = V(d, "y");
            double mu = u("mu")[0], phi = u("phi")[0], theta = u("theta")[0], s = u("sigma")[0], sigma = Math.Exp(s);
            double lp = LogNormal(mu, 0, 10) + LogNormal(phi, 0, 2) + LogNormal(theta, 0, 2) + LogHalfCauchy(sigma, 2.5) + s;
            double err = 0;
            for (int t = 0; t < y.Length; t++)
            {
                double nu = t == 0 ? mu + phi * mu : mu + phi * y[t - 1] + theta * err;
                err = y[t] - nu;
                lp += GaussLik(err, sigma);
            }
            return lp;
        },
        ["diamonds-diamonds"] = (u, d) =>
        {
            int n = d.GetInt("N"), k = d.GetInt("K"); var x = d.GetMatrix("X").Span.ToArray(); var y = V(d, "Y");
            var b = u("b"); double icpt = u("Intercept")[0], s = u("sigma")[0], sigma = Math.Exp(s);
            var means = new double[k];
            for (int j = 1; j < k; j++) { for (int i = 0; i < n; i++) means[j] += x[i * k + j]; means[j] /= n; }
            double lp = b.Sum(v => -v * v / 2) - 2 * Math.Log(1 + Sq((icpt - 8) / 10) / 3) - 2 * Math.Log(1 + Sq(sigma / 10) / 3) + s;
            for (int i = 0; i < n; i++)
            {
                double m = icpt;
                for (int j = 1; j < k; j++) m += (x[i * k + j] - means[j]) * b[j - 1];
                lp += GaussLik(y[i] - m, sigma);
            }
            return lp;
        },
        ["dogs_legacy-dogs"] = (u, d) =>
        {
            var y = d.GetIntMatrix("y"); var beta = u("beta");
            double lp = beta.Sum(b => -b * b / (2 * 100.0 * 100.0));
            for (int j = 0; j < y.GetLength(0); j++)
            {
                int avoid = 0, shock = 0;
                for (int t = 0; t < y.GetLength(1); t++)
                {
                    double eta = beta[0] + beta[1] * avoid + beta[2] * shock;
                    lp += y[j, t] * eta - Math.Log(1 + Math.Exp(eta));
                    if (y[j, t] == 1) shock++; else avoid++;
                }
            }
            return lp;
        },
        ["eight_schools-eight_schools_centered"] = (u, d) =>
        {
            var y = V(d, "y"); var sd = V(d, "sigma"); var theta = u("theta");
            double mu = u("mu")[0], lt = u("tau")[0], tau = Math.Exp(lt);
            double lp = -mu * mu / 50 - Math.Log(1 + Sq(tau / 5)) + lt;
            for (int j = 0; j < y.Length; j++) lp += -Sq(theta[j] - mu) / (2 * tau * tau) - Math.Log(tau) - Sq(y[j] - theta[j]) / (2 * sd[j] * sd[j]);
            return lp;
        },
        ["eight_schools-eight_schools_noncentered"] = (u, d) =>
        {
            var y = V(d, "y"); var sd = V(d, "sigma"); var tt = u("theta_trans");
            double mu = u("mu")[0], lt = u("tau")[0], tau = Math.Exp(lt);
            double lp = -mu * mu / 50 - Math.Log(1 + Sq(tau / 5)) + lt;
            for (int j = 0; j < y.Length; j++) lp += -tt[j] * tt[j] / 2 - Sq(y[j] - mu - tau * tt[j]) / (2 * sd[j] * sd[j]);
            return lp;
        },
        ["garch-garch11"] = (u, d) =>
        {
            var y = V(d, "y"); double sigma1 = d.GetReal("sigma1");
            double mu = u("mu")[0], a = u("alpha0")[0], b = u("alpha1")[0], c = u("beta1_unit")[0];
            double alpha0 = Math.Exp(a), alpha1 = Logistic(b), beta1 = (1 - alpha1) * Logistic(c);
            // model.md's Stan-style transform and Jacobian
            double lp = a + Math.Log(alpha1) + Math.Log(1 - alpha1) + Math.Log(1 - alpha1) + Math.Log(Logistic(c)) + Math.Log(1 - Logistic(c));
            double s = sigma1;
            for (int t = 0; t < y.Length; t++)
            {
                if (t > 0) s = Math.Sqrt(alpha0 + alpha1 * Sq(y[t - 1] - mu) + beta1 * s * s);
                lp += -Math.Log(s) - Sq(y[t] - mu) / (2 * s * s);
            }
            return lp;
        },
        ["gp_pois_regr-gp_pois_regr"] = (u, d) =>
        {
            var x = V(d, "x"); var k = d.GetIntArray("k"); int n = x.Length;
            double a = u("rho")[0], b = u("alpha")[0], rho = Math.Exp(a), alpha = Math.Exp(b); var ft = u("f_tilde");
            var l = Cholesky(n, (i, j) => alpha * alpha * Math.Exp(-Sq(x[i] - x[j]) / (2 * rho * rho)) + (i == j ? 1e-10 : 0));
            double lp = 24 * Math.Log(rho) - 4 * rho - alpha * alpha / 8 + a + b;
            for (int i = 0; i < n; i++)
            {
                double f = 0;
                for (int j = 0; j <= i; j++) f += l[i, j] * ft[j];
                lp += -ft[i] * ft[i] / 2 + k[i] * f - Math.Exp(f);
            }
            return lp;
        },
        ["gp_pois_regr-gp_regr"] = (u, d) =>
        {
            var x = V(d, "x"); var y = V(d, "y"); int n = x.Length;
            double a = u("rho")[0], b = u("alpha")[0], c = u("sigma")[0];
            double rho = Math.Exp(a), alpha = Math.Exp(b), sigma = Math.Exp(c);
            var l = Cholesky(n, (i, j) => alpha * alpha * Math.Exp(-Sq(x[i] - x[j]) / (2 * rho * rho)) + (i == j ? sigma : 0));
            var z = new double[n];
            double lp = 24 * Math.Log(rho) - 4 * rho - alpha * alpha / 8 - sigma * sigma / 2 + a + b + c;
            for (int i = 0; i < n; i++)
            {
                double r = y[i];
                for (int j = 0; j < i; j++) r -= l[i, j] * z[j];
                z[i] = r / l[i, i];
                lp += -Math.Log(l[i, i]) - z[i] * z[i] / 2;
            }
            return lp;
        },
        ["hmm_example-hmm_example"] = (u, d) =>
        {
            var y = V(d, "y");
            double p1 = Logistic(u("theta1")[0]), p2 = Logistic(u("theta2")[0]);
            var m = u("mu"); double mu1 = Math.Exp(m[0]), mu2 = mu1 + Math.Exp(m[1]);
            double lp = Math.Log(p1) + Math.Log(1 - p1) + Math.Log(p2) + Math.Log(1 - p2) + m[0] + m[1];
            lp += -Sq(mu1 - 3) / 2 - Sq(mu2 - 10) / 2;
            var logG = new[,] { { Math.Log(p1), Math.Log(1 - p1) }, { Math.Log(p2), Math.Log(1 - p2) } };
            var mu = new[] { mu1, mu2 };
            var g = new[] { -Sq(y[0] - mu1) / 2, -Sq(y[0] - mu2) / 2 };
            for (int t = 1; t < y.Length; t++)
            {
                var next = new double[2];
                for (int k = 0; k < 2; k++)
                    next[k] = LogSumExp(g[0] + logG[0, k], g[1] + logG[1, k]) - Sq(y[t] - mu[k]) / 2;
                g = next;
            }
            return lp + LogSumExp(g[0], g[1]);
        },
        ["hudson_lynx_hare-lotka_volterra"] = (u, d) =>
        {
            var ts = V(d, "ts"); var yInit = V(d, "y_init"); var y = d.GetMatrix("y").Span.ToArray();
            var lt = u("theta"); var lz = u("z_init"); var ls = u("sigma");
            var th = lt.Select(Math.Exp).ToArray(); var z0 = lz.Select(Math.Exp).ToArray(); var sg = ls.Select(Math.Exp).ToArray();
            double lp = lt.Sum() + lz.Sum() + ls.Sum();
            lp += LogNormal(th[0], 1, 0.5) + LogNormal(th[2], 1, 0.5) + LogNormal(th[1], 0.05, 0.05) + LogNormal(th[3], 0.05, 0.05);
            for (int k = 0; k < 2; k++)
            {
                lp += -Math.Log(sg[k]) - Sq(Math.Log(sg[k]) + 1) / 2;
                lp += -Math.Log(z0[k]) - Sq(Math.Log(z0[k]) - Math.Log(10)) / 2;
                lp += GaussLik(Math.Log(yInit[k]) - Math.Log(z0[k]), sg[k]);
            }
            var z = ScalarLotkaVolterra(th, z0, ts, 1e-3);
            for (int n = 0; n < ts.Length; n++)
                for (int k = 0; k < 2; k++) lp += GaussLik(Math.Log(y[2 * n + k]) - Math.Log(z[n][k]), sg[k]);
            return lp;
        },
        ["kidiq-kidscore_interaction"] = (u, d) =>
        {
            var ks = V(d, "kid_score"); var hs = V(d, "mom_hs"); var iq = V(d, "mom_iq");
            var b = u("beta"); double s = u("sigma")[0], sigma = Math.Exp(s);
            double lp = LogHalfCauchy(sigma, 2.5) + s;
            for (int i = 0; i < ks.Length; i++) lp += GaussLik(ks[i] - (b[0] + b[1] * hs[i] + b[2] * iq[i] + b[3] * hs[i] * iq[i]), sigma);
            return lp;
        },
        ["kilpisjarvi_mod-kilpisjarvi"] = (u, d) =>
        {
            var x = V(d, "x"); var y = V(d, "y");
            double alpha = u("alpha")[0], beta = u("beta")[0], s = u("sigma")[0], sigma = Math.Exp(s);
            double lp = LogNormal(alpha, d.GetReal("pmualpha"), d.GetReal("psalpha")) + LogNormal(beta, d.GetReal("pmubeta"), d.GetReal("psbeta")) + s;
            for (int i = 0; i < x.Length; i++) lp += GaussLik(y[i] - alpha - beta * x[i], sigma);
            return lp;
        },
        ["low_dim_gauss_mix-low_dim_gauss_mix"] = (u, d) =>
        {
            var y = V(d, "y"); var m = u("mu"); var ls = u("sigma"); double c = u("theta")[0];
            double mu1 = m[0], mu2 = m[0] + Math.Exp(m[1]), s1 = Math.Exp(ls[0]), s2 = Math.Exp(ls[1]), theta = Logistic(c);
            double lp = m[1] + ls[0] + ls[1] + Math.Log(theta) + Math.Log(1 - theta);
            lp += -(mu1 * mu1 + mu2 * mu2) / 8 - (s1 * s1 + s2 * s2) / 8 + 4 * Math.Log(theta) + 4 * Math.Log(1 - theta);
            foreach (var v in y)
                lp += LogSumExp(Math.Log(theta) + GaussLik(v - mu1, s1), Math.Log(1 - theta) + GaussLik(v - mu2, s2));
            return lp;
        },
        ["mesquite-logmesquite"] = (u, d) =>
        {
            var w = V(d, "weight"); var d1 = V(d, "diam1"); var d2 = V(d, "diam2"); var ch = V(d, "canopy_height");
            var th = V(d, "total_height"); var de = V(d, "density"); var g = V(d, "group");
            var b = u("beta"); double s = u("sigma")[0], sigma = Math.Exp(s);
            double lp = s;
            for (int i = 0; i < w.Length; i++)
            {
                double m = b[0] + b[1] * Math.Log(d1[i]) + b[2] * Math.Log(d2[i]) + b[3] * Math.Log(ch[i]) + b[4] * Math.Log(th[i]) + b[5] * Math.Log(de[i]) + b[6] * g[i];
                lp += GaussLik(Math.Log(w[i]) - m, sigma);
            }
            return lp;
        },
        ["nes2000-nes"] = (u, d) =>
        {
            var p = V(d, "partyid7"); var ideo = V(d, "real_ideo"); var race = V(d, "race_adj"); var age = d.GetIntArray("age_discrete");
            var educ = V(d, "educ1"); var gender = V(d, "gender"); var income = V(d, "income");
            var b = u("beta"); double s = u("sigma")[0], sigma = Math.Exp(s);
            double lp = s;
            for (int i = 0; i < p.Length; i++)
            {
                double m = b[0] + b[1] * ideo[i] + b[2] * race[i] + b[3] * (age[i] == 2 ? 1 : 0) + b[4] * (age[i] == 3 ? 1 : 0) + b[5] * (age[i] == 4 ? 1 : 0)
                           + b[6] * educ[i] + b[7] * gender[i] + b[8] * income[i];
                lp += GaussLik(p[i] - m, sigma);
            }
            return lp;
        },
    };

    private static double LogSumExp(double a, double b) { double m = Math.Max(a, b); return m + Math.Log(Math.Exp(a - m) + Math.Exp(b - m)); }

    private static double[,] Cholesky(int n, Func<int, int, double> a)
    {
        var l = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                double s = a(i, j);
                for (int k = 0; k < j; k++) s -= l[i, k] * l[j, k];
                l[i, j] = i == j ? Math.Sqrt(s) : s / l[j, j];
            }
        return l;
    }

    /// <summary>An independent scalar RK4 solve with a much finer step than the model's.</summary>
    private static double[][] ScalarLotkaVolterra(double[] th, double[] z0, double[] ts, double h)
    {
        double u = z0[0], v = z0[1], now = 0;
        var result = new double[ts.Length][];
        (double, double) F(double uu, double vv) => ((th[0] - th[1] * vv) * uu, (-th[2] + th[3] * uu) * vv);
        for (int n = 0; n < ts.Length; n++)
        {
            int steps = (int)Math.Ceiling((ts[n] - now) / h - 1e-9); double dt = (ts[n] - now) / steps;
            for (int s = 0; s < steps; s++)
            {
                var (a1, b1) = F(u, v); var (a2, b2) = F(u + dt / 2 * a1, v + dt / 2 * b1);
                var (a3, b3) = F(u + dt / 2 * a2, v + dt / 2 * b2); var (a4, b4) = F(u + dt * a3, v + dt * b3);
                u += dt / 6 * (a1 + 2 * a2 + 2 * a3 + a4); v += dt / 6 * (b1 + 2 * b2 + 2 * b3 + b4);
            }
            now = ts[n];
            result[n] = [u, v];
        }
        return result;
    }

    public static TheoryData<string> Names() => new(Hand.Keys);

    [Fact]
    public void EveryFolderHasAModelAndAHandDensity()
    {
        var dir = PosteriordbFiles.RequireDirectory();
        var folders = Directory.GetDirectories(dir).Where(f => File.Exists(Path.Combine(f, "reference.json"))).Select(Path.GetFileName).OrderBy(s => s).ToList();
        Assert.Equal(16, folders.Count);
        foreach (var f in folders)
        {
            Assert.True(PosteriordbModel.Registry.TryGet(f!, out var m), $"no built-in model named {f}");
            Assert.IsAssignableFrom<PosteriordbModel>(m);
            Assert.True(Hand.ContainsKey(f!), $"no hand-written density for {f}");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void UnconstrainedLogDensityMatchesModelMd(string name)
    {
        var model = PosteriordbModel.Registry.Get(name);
        var data = model.BundledData!;
        var density = new UnconstrainedLogDensity(model.Bind(data));
        var rng = new System.Random(17);
        double? modelBase = null, handBase = null;
        for (int point = 0; point < 4; point++)
        {
            var values = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            var raw = new Dictionary<string, double[]>(StringComparer.Ordinal);
            foreach (var site in density.Prototype.Latents)
            {
                var v = new double[site.UnconstrainedCount];
                for (int i = 0; i < v.Length; i++) v[i] = Start(name, site.Name, i) + 0.3 * (2 * rng.NextDouble() - 1);
                raw[site.Name] = v;
                values[site.Name] = site.UnconstrainedShape.Length == 0 ? Tensor.Scalar(v[0]) : Tensor.FromArray(v, site.UnconstrainedShape);
            }
            double lpModel = density.Evaluate(values).Item();
            double lpHand = Hand[name](s => raw[s], data);
            Assert.True(double.IsFinite(lpModel) && double.IsFinite(lpHand), $"{name}: non-finite density {lpModel} / {lpHand}");
            if (modelBase is null) { modelBase = lpModel; handBase = lpHand; continue; }
            double dm = lpModel - modelBase.Value, dh = lpHand - handBase!.Value;
            double tol = 1e-8 * (1 + Math.Abs(lpModel) + Math.Abs(lpHand)) + (name.Contains("lotka") ? 1e-3 : 0);
            Assert.True(Math.Abs(dm - dh) <= tol, $"{name}, point {point}: model Δ = {dm}, hand Δ = {dh}");
        }
    }

    /// <summary>A region of sensible values (unconstrained) per model so every density is finite.</summary>
    private static double Start(string model, string site, int i) => (model, site) switch
    {
        ("hudson_lynx_hare-lotka_volterra", "theta") => Math.Log(new[] { 0.55, 0.028, 0.8, 0.024 }[i]),
        ("hudson_lynx_hare-lotka_volterra", "z_init") => Math.Log(new[] { 33.0, 6.0 }[i]),
        ("hudson_lynx_hare-lotka_volterra", "sigma") => Math.Log(0.25),
        ("hmm_example-hmm_example", "mu") => i == 0 ? Math.Log(3) : Math.Log(7),
        ("gp_pois_regr-gp_regr", "rho") or ("gp_pois_regr-gp_pois_regr", "rho") => Math.Log(6),
        ("kilpisjarvi_mod-kilpisjarvi", "alpha") => -30,
        ("kilpisjarvi_mod-kilpisjarvi", "beta") => 0.01,
        ("diamonds-diamonds", "Intercept") => 7.7,
        _ => 0.0,
    };
}
