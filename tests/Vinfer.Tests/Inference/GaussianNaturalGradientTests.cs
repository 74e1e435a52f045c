using Vinfer.Distributions;
using Vinfer.Guides;
using Vinfer.Inference;
using Vinfer.Modeling;
using Vinfer.Optim;
using Vinfer.Tensors;
using Xunit.Abstractions;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Tests.Inference;

/// <summary>
/// The full-rank guide's natural-gradient step (<see cref="GaussianNaturalGradient"/>): its algebra against the closed
/// form, and diamonds' failure in miniature: a regression on strongly collinear predictors with a known noise scale, so
/// the posterior is exactly Gaussian (conjugate), where Adam in Pathfinder's coordinates stops far from it.
/// </summary>
public class GaussianNaturalGradientTests(ITestOutputHelper output)
{
    private const int Dimension = 4;

    [Fact]
    public void TheStepIsTheNaturalGradientInTheGaussiansOwnCoordinates()
    {
        // a loss linear in (m, C): ⟨a, m⟩ + ⟨G, C⟩, so ∇ₘ = a and ∇_C = G exactly
        const int d = Dimension;
        double[] a = [0.3, -1.2, 0.5, 2.0];
        double[] g = [0.7, 0, 0, 0, -0.4, 1.1, 0, 0, 0.2, 0.9, -0.6, 0, -1.5, 0.3, 0.8, 0.4];
        var guide = new AutoMultivariateNormal(() => Sample("z", new Normal(0.0, 1.0).Expand([d]).ToEvent(1)));
        var store = new ParamStore();
        using (store.Use()) guide.InitializeParameters();
        // a start away from the identity: scales 0.5…2, correlated
        double[] scales = [0.5, 2.0, 1.3, 0.8];
        for (int i = 0; i < d; i++) store.GetUnconstrained($"{guide.Prefix}.scale").Span[i] = Math.Log(scales[i]);
        double[] lower = [0, 0, 0, 0, 0.4, 0, 0, 0, -0.7, 0.2, 0, 0, 0.1, 0.5, -0.3, 0];
        lower.CopyTo(store.GetUnconstrained($"{guide.Prefix}.scale_tril").Span);
        double[] m0 = [1, -1, 0.5, 2];
        m0.CopyTo(store.GetUnconstrained($"{guide.Prefix}.loc").Span);
        var c = CurrentFactor(guide, store);

        const double rate = 0.01;
        var optimizer = new GaussianNaturalGradient(rate, guide);
        using (store.Use())
        {
            var loc = store.Get($"{guide.Prefix}.loc");
            var loss = (loc * Tensor.FromArray(a, d)).Sum() + (guide.ScaleTril() * Tensor.FromArray(g, d, d)).Sum();
            loss.Backward();
        }
        optimizer.Step(store.Unconstrained);

        // expected: m' = m − ρ C Cᵀ a; C' = C M with B = tril(Cᵀ G), M_ij = −ρ B_ij below, exp(−ρ B_ii / 2) on the diagonal
        var expectedMean = new double[d];
        var ca = new double[d];
        for (int j = 0; j < d; j++) for (int i = 0; i < d; i++) ca[j] += c[i * d + j] * a[i];
        for (int i = 0; i < d; i++)
        {
            expectedMean[i] = m0[i];
            for (int j = 0; j < d; j++) expectedMean[i] -= rate * c[i * d + j] * ca[j];
        }
        var b = new double[d * d];
        for (int k = 0; k < d; k++) for (int l = 0; l <= k; l++) for (int i = 0; i < d; i++) b[k * d + l] += c[i * d + k] * g[i * d + l];
        var mStep = new double[d * d];
        for (int k = 0; k < d; k++) for (int l = 0; l <= k; l++) mStep[k * d + l] = k == l ? Math.Exp(-rate * b[k * d + k] / 2) : -rate * b[k * d + l];
        var expectedFactor = new double[d * d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) for (int k = 0; k < d; k++) expectedFactor[i * d + j] += c[i * d + k] * mStep[k * d + j];

        var mean = store.GetUnconstrained($"{guide.Prefix}.loc").ToArray();
        var factor = CurrentFactor(guide, store);
        for (int i = 0; i < d; i++) Assert.Equal(expectedMean[i], mean[i], 12);
        for (int i = 0; i < d * d; i++) Assert.Equal(expectedFactor[i], factor[i], 12);
    }

    [Fact]
    public void AnOutlierGradientMovesTheMeanAtMostFourTimesTheRecentMedianStep()
    {
        // a loss linear in m alone: ∇_C = 0 keeps C fixed, so every step moves m by exactly −ρ C Cᵀ a
        const int d = Dimension;
        double[] a = [0.3, -1.2, 0.5, 2.0];
        var guide = new AutoMultivariateNormal(() => Sample("z", new Normal(0.0, 1.0).Expand([d]).ToEvent(1)));
        var store = new ParamStore();
        using (store.Use()) guide.InitializeParameters();
        const double rate = 0.01;
        var optimizer = new GaussianNaturalGradient(rate, guide);
        double[] StepWith(double scale)
        {
            var before = store.GetUnconstrained($"{guide.Prefix}.loc").ToArray();
            using (store.Use())
            {
                var loss = (store.Get($"{guide.Prefix}.loc") * Tensor.FromArray(a.Select(x => scale * x).ToArray(), d)).Sum() + 0 * guide.ScaleTril().Sum();
                loss.Backward();
            }
            optimizer.Step(store.Unconstrained);
            foreach (var (_, p) in store.Unconstrained) p.ZeroGrad();
            var after = store.GetUnconstrained($"{guide.Prefix}.loc").ToArray();
            return after.Select((x, i) => x - before[i]).ToArray();
        }
        var usual = StepWith(1);
        for (int i = 1; i < 20; i++) Assert.Equal(usual, StepWith(1), (x, y) => Math.Abs(x - y) < 1e-15);
        // a draw 100 times the usual gradient moves m as a gradient 4 times the usual one would (the median of the last steps)
        var outlier = StepWith(100);
        for (int i = 0; i < d; i++) Assert.Equal(GaussianNaturalGradient.OutlierFactor * usual[i], outlier[i], 12);
        // and a gradient within the limit passes whole
        var threeTimes = StepWith(3);
        for (int i = 0; i < d; i++) Assert.Equal(3 * usual[i], threeTimes[i], 12);
    }

    /// <summary>
    /// Eight schools' τ: the full-rank family's own optimum (its KL(q‖p)-optimal Gaussian) has E_q[τ] = 3.053, 0.171
    /// NUTS sd below the posterior mean 3.605 (40,000 natural-gradient steps of 256 particles and 10,000 averaged ones,
    /// 400,000 draws; Adam at 64 particles agrees to 0.003, docs/stan-comparison.md). A default fit must land near that
    /// optimum: a draw 0.1 sd off it is 2.5 times the spread of 20 seeds' fits (0.039 sd, of which 0.024 is the 1,000
    /// summary draws). Seeds 3 and 4 are the ones whose heavy-tailed steps (a particle in the funnel's neck) pushed τ
    /// 0.19 and 0.23 sd below the optimum before the natural gradient's outlier limit.
    /// </summary>
    [Theory]
    [InlineData(3UL)]
    [InlineData(4UL)]
    public void EightSchoolsFullRankLandsAtTheFamilysOptimum(ulong seed)
    {
        const double optimum = 3.053, posteriorSd = 3.230;
        var model = new Vinfer.Models.EightSchools().Bind(Vinfer.Models.EightSchools.ClassicData);
        var fit = VariationalFit.Fit(model, new FitOptions { Family = VariationalFamilies.FullRank, Seed = seed });
        double tau = fit.Summary.Single(s => s.Name == "tau").Mean;
        output.WriteLine($"seed {seed}: E_q[tau] {tau:F3}, {(tau - optimum) / posteriorSd:+0.000;-0.000} sd from the family's optimum, {fit.Run.Steps} steps");
        Assert.InRange((tau - optimum) / posteriorSd, -0.1, 0.1);
    }

    [Fact]
    public void AnEightSchoolsFitResumedMidRunKeepsTheOutlierLimitsHistory()
    {
        // eight schools' heavy-tailed steps make the outlier limit bind after step 200 (seed 3), so a resumed run equals
        // the uninterrupted one only if the checkpoint carries the recent norms
        var model = new Vinfer.Models.EightSchools().Bind(Vinfer.Models.EightSchools.ClassicData);
        var options = new FitOptions { Family = VariationalFamilies.FullRank, Seed = 3, Draws = 100, AverageSteps = 50, CheckpointEvery = 100 };
        var checkpoints = new List<SviCheckpoint>();
        var straight = VariationalFit.Fit(model, options with { Checkpoint = checkpoints.Add });
        Assert.True(straight.Run.Steps >= 300, $"the fit stopped after {straight.Run.Steps} steps; the test needs a run past its checkpoint");
        var at200 = checkpoints.Single(c => c.ToFitLoopCheckpoint().Step == 200);
        var resumed = VariationalFit.Fit(model, options with { Resume = SviCheckpoint.FromJson(System.Text.Json.Nodes.JsonNode.Parse(at200.ToJson().ToJsonString())!) });
        Assert.Equal(straight.Run.ElboTrace, resumed.Run.ElboTrace);
        Assert.Equal(straight.Draws.Values, resumed.Draws.Values);
    }

    private static double[] CurrentFactor(AutoMultivariateNormal guide, ParamStore store)
    {
        using var _ = store.Use();
        using var __ = GradMode.Disable();
        return guide.ScaleTril().ToArray();
    }

    /// <summary>
    /// y = X b + ε, ε ~ N(0, σ²) with σ known, b ~ N(0, I): the posterior is N(μ, Σ) with Σ = (XᵀX/σ² + I)⁻¹ and
    /// μ = Σ Xᵀy/σ². The 20 predictors are three common factors plus 2 % unique noise, on column scales from 0.1 to
    /// 100, so the posterior is strongly correlated and its scales span orders of magnitude, as diamonds'; Pathfinder's
    /// normal (an L-BFGS inverse-Hessian estimate from 6 pairs) whitens it only in part.
    /// </summary>
    private sealed class CollinearRegression
    {
        public const int Rows = 400, Predictors = 20;
        public const double Noise = 1.0;
        private readonly double[] _x = new double[Rows * Predictors];
        private readonly double[] _y = new double[Rows];

        private const int Factors = 3;
        private const double Spread = 3, Unique = 0.02;

        public CollinearRegression(int seed)
        {
            var rng = new System.Random(seed);
            double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            var scale = new double[Predictors];
            var loading = new double[Factors * Predictors];
            for (int j = 0; j < Predictors; j++)
            {
                scale[j] = Math.Pow(10, Spread * j / (Predictors - 1.0) - 1);
                for (int f = 0; f < Factors; f++) loading[f * Predictors + j] = Gaussian();
            }
            var common = new double[Factors];
            for (int n = 0; n < Rows; n++)
            {
                for (int f = 0; f < Factors; f++) common[f] = Gaussian();
                double eta = 0;
                for (int j = 0; j < Predictors; j++)
                {
                    double v = Unique * Gaussian();
                    for (int f = 0; f < Factors; f++) v += loading[f * Predictors + j] * common[f];
                    _x[n * Predictors + j] = scale[j] * v;
                    eta += _x[n * Predictors + j] * (j % 3 == 0 ? 0.4 : -0.2) / scale[j];
                }
                _y[n] = eta + Noise * Gaussian();
            }
        }

        public void Model()
        {
            var b = Sample("b", new Normal(0.0, 1.0).Expand([Predictors]).ToEvent(1));
            var xT = Tensor.FromArray(Transposed(), Predictors, Rows);
            Sample("y", new Normal(b.MatMul(xT), Tensor.Scalar(Noise)).ToEvent(1), Tensor.FromArray(_y, Rows));
        }

        private double[] Transposed()
        {
            var t = new double[Predictors * Rows];
            for (int n = 0; n < Rows; n++) for (int j = 0; j < Predictors; j++) t[j * Rows + n] = _x[n * Predictors + j];
            return t;
        }

        /// <summary>The exact posterior mean and marginal sds.</summary>
        public (double[] Mean, double[] Sd) Posterior()
        {
            const int d = Predictors;
            var precision = new double[d * d];
            var rhs = new double[d];
            for (int n = 0; n < Rows; n++)
                for (int i = 0; i < d; i++)
                {
                    rhs[i] += _x[n * d + i] * _y[n] / (Noise * Noise);
                    for (int j = 0; j < d; j++) precision[i * d + j] += _x[n * d + i] * _x[n * d + j] / (Noise * Noise);
                }
            for (int i = 0; i < d; i++) precision[i * d + i] += 1;
            var covariance = Inverse(precision, d);
            var mean = new double[d];
            var sd = new double[d];
            for (int i = 0; i < d; i++)
            {
                for (int j = 0; j < d; j++) mean[i] += covariance[i * d + j] * rhs[j];
                sd[i] = Math.Sqrt(covariance[i * d + i]);
            }
            return (mean, sd);
        }

        private static double[] Inverse(double[] a, int d)
        {
            // Gauss–Jordan with partial pivoting on a small symmetric positive definite matrix
            var m = (double[])a.Clone();
            var inv = new double[d * d];
            for (int i = 0; i < d; i++) inv[i * d + i] = 1;
            for (int col = 0; col < d; col++)
            {
                int pivot = col;
                for (int r = col + 1; r < d; r++) if (Math.Abs(m[r * d + col]) > Math.Abs(m[pivot * d + col])) pivot = r;
                if (pivot != col)
                    for (int k = 0; k < d; k++)
                    {
                        (m[col * d + k], m[pivot * d + k]) = (m[pivot * d + k], m[col * d + k]);
                        (inv[col * d + k], inv[pivot * d + k]) = (inv[pivot * d + k], inv[col * d + k]);
                    }
                double p = m[col * d + col];
                for (int k = 0; k < d; k++) { m[col * d + k] /= p; inv[col * d + k] /= p; }
                for (int r = 0; r < d; r++)
                {
                    if (r == col) continue;
                    double f = m[r * d + col];
                    if (f == 0) continue;
                    for (int k = 0; k < d; k++) { m[r * d + k] -= f * m[col * d + k]; inv[r * d + k] -= f * inv[col * d + k]; }
                }
            }
            return inv;
        }
    }

    private (double MaxMeanError, double MinSdRatio, double MaxSdRatio) Compare(FitResult fit, CollinearRegression problem, string label)
    {
        var (mean, sd) = problem.Posterior();
        double worst = 0, low = double.PositiveInfinity, high = 0;
        for (int i = 0; i < CollinearRegression.Predictors; i++)
        {
            var row = fit.Summary.Single(s => s.Name == $"b[{i + 1}]");
            worst = Math.Max(worst, Math.Abs(row.Mean - mean[i]) / sd[i]);
            low = Math.Min(low, row.Sd / sd[i]);
            high = Math.Max(high, row.Sd / sd[i]);
        }
        output.WriteLine($"{label}: {fit.Run.Steps} steps, max |Δmean|/sd {worst:F3}, sd ratio {low:F3}–{high:F3}, k̂ {fit.KHat:F2}, {fit.Verdict.Describe()}");
        return (worst, low, high);
    }

    [Fact]
    public void AFullRankFitOfACollinearRegressionMatchesItsConjugatePosterior()
    {
        var problem = new CollinearRegression(3);
        var options = new FitOptions { Family = VariationalFamilies.FullRank, Seed = 1, Draws = 4000 };
        var fit = VariationalFit.Fit(problem.Model, options);
        var (worst, low, high) = Compare(fit, problem, "natural-gradient steps");
        // the Monte Carlo error of a mean from 4000 draws is 0.016 sd; 0.1 sd is the target
        Assert.True(worst < 0.1, $"max mean error {worst:F3} sd");
        Assert.InRange(low, 0.9, 1.1);
        Assert.InRange(high, 0.9, 1.1);
    }

    [Fact]
    public void AdamInPathfindersCoordinatesStopsFarFromTheSamePosterior()
    {
        // the failure the natural-gradient step fixes (measured: 0.73 sd off, sd ratios down to 0.50, after 2,400 steps),
        // kept as a check that the problem above is hard for the old step
        var problem = new CollinearRegression(3);
        var fit = VariationalFit.Fit(problem.Model, new FitOptions { Family = VariationalFamilies.FullRank, Seed = 1, Draws = 4000, NaturalGradientSteps = false });
        var (worst, low, _) = Compare(fit, problem, "Adam on the raw parameters");
        Assert.True(worst > 0.1 || low < 0.9, $"max mean error {worst:F3} sd, smallest sd ratio {low:F3}");
    }

    [Fact]
    public void AFullRankFitResumedFromAMidRunCheckpointEqualsTheUninterruptedFit()
    {
        var problem = new CollinearRegression(3);
        var options = new FitOptions { Family = VariationalFamilies.FullRank, Seed = 2, Draws = 100, AverageSteps = 50, CheckpointEvery = 100 };
        var checkpoints = new List<SviCheckpoint>();
        var straight = VariationalFit.Fit(problem.Model, options with { Checkpoint = checkpoints.Add });
        Assert.True(straight.Run.Steps >= 400, $"the fit stopped after {straight.Run.Steps} steps; the test needs a run past its checkpoint");
        var at200 = checkpoints.Single(c => c.ToFitLoopCheckpoint().Step == 200);
        var resumed = VariationalFit.Fit(problem.Model, options with { Resume = SviCheckpoint.FromJson(System.Text.Json.Nodes.JsonNode.Parse(at200.ToJson().ToJsonString())!) });
        Assert.Equal(straight.Run.ElboTrace, resumed.Run.ElboTrace);
        Assert.Equal(straight.Draws.Values, resumed.Draws.Values);
    }
}
