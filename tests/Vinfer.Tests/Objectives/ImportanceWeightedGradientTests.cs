using Vinfer.Autodiff;
using Vinfer.Distributions;
using Vinfer.Modeling;
using Vinfer.Objectives;
using Vinfer.Random;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Tests.Objectives;

/// <summary>
/// Gradient estimators of the importance-weighted family: finite-difference checks of the reparameterized surrogates
/// with fixed noise, and the unbiasedness and variance of DReG and the score-function estimator against the
/// reparameterized gradient (5 standard errors).
/// </summary>
public class ImportanceWeightedGradientTests
{
    private static readonly LinearGaussianModel Model = new(dimension: 2, observedDimension: 3, points: 2, noise: 0.8, seed: 11);

    /// <summary>A diagonal Gaussian guide reading its location and scale from tensors (so GradientCheck can perturb them).</summary>
    private static Action DiagonalGuide(Tensor loc, Tensor scale) => () =>
    {
        using (Plate(LinearGaussianModel.PlateName, Model.N)) Sample("z", new Normal(loc, scale).ToEvent(1));
    };

    public static TheoryData<string> Objectives => new() { "iwae", "renyi", "renyi-large", "vrmax", "vriwae", "cubo", "local-iwae", "local-renyi" };

    private static IObjective Make(string name, GradientEstimator estimator = GradientEstimator.Reparameterized) => name switch
    {
        "iwae" => new IwaeBound(5, 3, estimator),
        "renyi" => new RenyiBound(0.5, 5, 3, estimator),
        "renyi-large" => new RenyiBound(2.5, 5, 3, estimator),
        "vrmax" => new RenyiBound(double.NegativeInfinity, 5, 3, estimator),
        "vriwae" => new VrIwaeBound(0.3, 5, 3, estimator),
        "cubo" => new ChiSquareUpperBound(5, 3, estimator),
        "local-iwae" => new IwaeBound(5, 3, estimator, LinearGaussianModel.PlateName),
        "local-renyi" => new RenyiBound(0.5, 5, 3, estimator, LinearGaussianModel.PlateName),
        _ => throw new ArgumentException(name),
    };

    private static (Tensor Loc, Tensor Scale) PerturbedDiagonal()
    {
        var loc = new double[Model.N * Model.D];
        var scale = new double[Model.N * Model.D];
        for (int i = 0; i < Model.N; i++)
            for (int a = 0; a < Model.D; a++)
            {
                loc[i * Model.D + a] = Model.PosteriorMean[i, a] + 0.3 * (a % 2 == 0 ? 1 : -1);
                scale[i * Model.D + a] = 1.2 * Math.Sqrt(Model.PosteriorCovariance[a, a]);
            }
        return (Tensor.FromArray(loc, Model.N, Model.D), Tensor.FromArray(scale, Model.N, Model.D));
    }

    [Theory]
    [MemberData(nameof(Objectives))]
    public void ReparameterizedSurrogateMatchesFiniteDifferencesWithFixedNoise(string name)
    {
        var (loc, scale) = PerturbedDiagonal();
        // A fresh objective per call: CUBO's exponentiated surrogate keeps the last estimate as its shift, and on a first
        // evaluation its gradient is that of the bound's estimate (ExponentiatedCuboSurrogateTests checks other shifts).
        Tensor Loss(Tensor[] x)
        {
            using var _ = new ParamStore().Use();
            return Make(name).Evaluate(Model.Model, DiagonalGuide(x[0], x[1]), 1, new RandomStream(21)).Loss;
        }
        // VR-max's max is piecewise smooth: the fixed noise keeps the argmax away from ties at this point.
        var result = GradientCheck.Check(Loss, [loc, scale], step: 1e-6, tolerance: 1e-5);
        Assert.True(result.Passed, result.ToString());
    }

    /// <summary>R independent gradients (of the negative loss) with respect to the unconstrained q_loc and q_tril, flattened.</summary>
    private static double[][] Gradients(Func<IObjective> make, int repeats, ulong seed)
    {
        var (loc, tril) = Model.PerturbedGuideParameters(shift: 0.3, widen: 1.25);
        var result = new double[repeats][];
        for (int r = 0; r < repeats; r++)
        {
            var store = new ParamStore();
            using var _ = store.Use();
            var value = make().Evaluate(Model.Model, Model.Guide(loc, tril), 1, new RandomStream(seed + (ulong)r));
            value.Loss.Backward();
            result[r] = [.. store.GetUnconstrained("q_loc").Grad!.ToArray(), .. store.GetUnconstrained("q_tril").Grad!.ToArray()];
        }
        return result;
    }

    /// <summary>Per-component sample mean and variance of repeated gradient draws (rows = draws); FlowGuideDregTests uses it too.</summary>
    internal static (double[] Mean, double[] Variance) Moments(double[][] g)
    {
        int n = g.Length, p = g[0].Length;
        var mean = new double[p];
        var variance = new double[p];
        for (int j = 0; j < p; j++)
        {
            double m = 0;
            for (int i = 0; i < n; i++) m += g[i][j];
            m /= n;
            double v = 0;
            for (int i = 0; i < n; i++) v += (g[i][j] - m) * (g[i][j] - m);
            mean[j] = m;
            variance[j] = v / (n - 1);
        }
        return (mean, variance);
    }

    private static void AssertSameMean(double[][] a, double[][] b, string what)
    {
        var (ma, va) = Moments(a);
        var (mb, vb) = Moments(b);
        for (int j = 0; j < ma.Length; j++)
        {
            double se = Math.Sqrt(va[j] / a.Length + vb[j] / b.Length);
            if (se == 0) { Assert.Equal(ma[j], mb[j], 9); continue; }
            Assert.True(Math.Abs(ma[j] - mb[j]) <= 5 * se, $"{what}: component {j}: means {ma[j]} and {mb[j]} differ by more than 5 se ({se})");
        }
    }

    [Fact]
    public void DregHasTheIwaeGradientsMeanAndALowerVarianceAtK64()
    {
        const int repeats = 300, k = 64;
        var plain = Gradients(() => new IwaeBound(k), repeats, 1000);
        var dreg = Gradients(() => new IwaeBound(k, estimator: GradientEstimator.DoublyReparameterized), repeats, 5000);
        AssertSameMean(plain, dreg, "IWAE vs DReG");
        double plainVariance = Moments(plain).Variance.Sum(), dregVariance = Moments(dreg).Variance.Sum();
        Assert.True(dregVariance < 0.5 * plainVariance, $"DReG total variance {dregVariance} is not well below IWAE's {plainVariance}");
    }

    [Fact]
    public void VrIwaeDregHasTheReparameterizedGradientsMean()
    {
        const int repeats = 300, k = 16;
        var plain = Gradients(() => new VrIwaeBound(0.5, k), repeats, 2000);
        var dreg = Gradients(() => new VrIwaeBound(0.5, k, estimator: GradientEstimator.DoublyReparameterized), repeats, 6000);
        AssertSameMean(plain, dreg, "VR-IWAE vs its DReG");
    }

    [Fact]
    public void ScoreFunctionGradientHasTheReparameterizedGradientsMean()
    {
        const int repeats = 400;
        var plain = Gradients(() => new IwaeBound(4, 4), repeats, 3000);
        var score = Gradients(() => new IwaeBound(4, 4, GradientEstimator.ScoreFunction), repeats, 7000);
        AssertSameMean(plain, score, "reparameterized vs VIMCO score function");
    }

    [Fact]
    public void DoublyReparameterizedWithOneSampleIsStickingTheLanding()
    {
        var (loc, tril) = Model.PerturbedGuideParameters(0.3, 1.25);
        double[] Gradient(IObjective o)
        {
            var store = new ParamStore();
            using var _ = store.Use();
            o.Evaluate(Model.Model, Model.Guide(loc, tril), 1, new RandomStream(8)).Loss.Backward();
            return [.. store.GetUnconstrained("q_loc").Grad!.ToArray(), .. store.GetUnconstrained("q_tril").Grad!.ToArray()];
        }
        var dreg = Gradient(new IwaeBound(1, 6, GradientEstimator.DoublyReparameterized));
        var stl = Gradient(new Elbo(6, stickingTheLanding: true));
        for (int j = 0; j < dreg.Length; j++) Assert.Equal(stl[j], dreg[j], 9);
    }

    [Fact]
    public void DoublyReparameterizedEstimatorRejectsANonReparameterizableGuide()
    {
        using var _ = new ParamStore().Use();
        void Guide()
        {
            using (Plate(LinearGaussianModel.PlateName, Model.N)) Sample("z", new ScoreOnly(new Normal(Tensor.Zeros(Model.D), Tensor.Ones(Model.D)).ToEvent(1)));
        }
        var e = Assert.Throws<NotSupportedException>(() => new IwaeBound(4, estimator: GradientEstimator.DoublyReparameterized).Evaluate(Model.Model, Guide, 1, new RandomStream(1)));
        Assert.Contains("'z'", e.Message);
    }

    /// <summary>A distribution that hides its base's reparameterized sampler.</summary>
    private sealed class ScoreOnly(Distribution inner) : Distribution(inner.BatchShape, inner.EventShape, false)
    {
        public override Constraint Support => inner.Support;
        public override Tensor LogProb(Tensor value) => inner.LogProb(value);
        public override Tensor Sample(RandomStream rng, params int[] sampleShape) => inner.Sample(rng, sampleShape);
        public override Distribution Expand(params int[] batchShape) => new ScoreOnly(inner.Expand(batchShape));
    }
}

public class ImportanceWeightedObjectiveStateTests
{
    [Fact]
    public void OneSampleScoreFunctionBaselinesArePerSiteAndSurviveSaveAndLoad()
    {
        var model = new LinearGaussianModel(2, 3, 2, 0.8, seed: 11);
        var (loc, tril) = model.PerturbedGuideParameters(0.3, 1.25);
        var guide = model.Guide(loc, tril);
        double[] Step(IObjective o, ulong seed)
        {
            var store = new ParamStore();
            using var _ = store.Use();
            o.Evaluate(model.Model, guide, 1, new RandomStream(seed)).Loss.Backward();
            return store.GetUnconstrained("q_loc").Grad!.ToArray();
        }
        var first = new IwaeBound(1, 1, GradientEstimator.ScoreFunction);
        Assert.Null(first.SaveState());
        Step(first, 1);
        Step(first, 2);
        var state = first.SaveState();
        Assert.NotNull(state!["baselines"]!["z"]);
        var resumed = new IwaeBound(1, 1, GradientEstimator.ScoreFunction);
        resumed.LoadState(state);
        Assert.Equal(Step(first, 3), Step(resumed, 3));
        // Estimate does not move the baselines.
        using (new ParamStore().Use()) first.Estimate(model.Model, guide, 1, 10, new RandomStream(4));
        Assert.Equal(first.SaveState()!.ToJsonString(), resumed.SaveState()!.ToJsonString());
    }

    [Fact]
    public void EstimateAveragesTheBoundOverWholeEstimatesWithoutGradients()
    {
        var model = new LinearGaussianModel(2, 3, 2, 0.8, seed: 11);
        using var _ = new ParamStore().Use();
        double estimate = new IwaeBound(8).Estimate(model.Model, model.ExactPosteriorGuide(), 1, 20, new RandomStream(1));
        Assert.Equal(model.LogEvidence(), estimate, 9);
    }
}
