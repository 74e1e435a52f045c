using Vinfer.Distributions;
using Vinfer.Guides;
using Vinfer.Inference;
using Vinfer.Modeling;
using Vinfer.Models;
using Vinfer.Objectives;
using Vinfer.Optim;
using Vinfer.Random;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Tests.Inference;

/// <summary>
/// <see cref="FlatGaussianElbo"/> against the general path (<see cref="Elbo"/> running the guide under handlers):
/// the same loss, estimate and gradient of every guide parameter to 1e-12 on several models and every Gaussian
/// family, its fallback when the model's structure changes, and whole fits.
/// </summary>
public sealed class FlatGaussianElboTests
{
    private static readonly Tensor GroupData = Tensor.FromArray([0.3, -1.2, 2.5, 0.9, 1.7, -0.4], 6);

    /// <summary>A user model with a plate of local latents and a positive scale.</summary>
    private static void PlateModel()
    {
        var mu = Sample("mu", new Normal(0.0, 2.0));
        var sigma = Sample("sigma", new HalfNormal(1.5));
        using (Plate("groups", 6))
        {
            var effect = Sample("effect", new Normal(mu, sigma));
            Sample("y", new Normal(effect, Tensor.Scalar(0.8)), GroupData);
        }
    }

    /// <summary>Constrained latents with event dimensions: a simplex (stick-breaking, 3 unconstrained coordinates for 4), an interval, a positive rate.</summary>
    private static void ConstrainedModel()
    {
        var weights = Sample("weights", new Dirichlet(Tensor.FromArray([2.0, 1.0, 3.0, 1.5], 4)));
        var p = Sample("p", new Beta(2.0, 3.0));
        var rate = Sample("rate", new Gamma(3.0, 2.0));
        var observed = Tensor.FromArray([0.1, 0.2, 0.4, 0.3], 4);
        Factor("fit", (weights - observed).Square().Sum(-1, keepDim: false) * -10.0 + p.Log() + rate.Neg());
    }

    public static TheoryData<string, string, bool> Cases()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var model in new[] { "eight_schools", "logistic_regression", "plate", "constrained" })
            foreach (var family in new[] { "meanfield", "fullrank", "lowrank" })
                foreach (bool stl in new[] { true, false })
                    data.Add(model, family, stl);
        return data;
    }

    private static Action ModelNamed(string name) => name switch
    {
        "eight_schools" => new EightSchools().Bind(EightSchools.ClassicData),
        "logistic_regression" => new LogisticRegression().Bind(new LogisticRegression().BundledData!),
        "plate" => PlateModel,
        "constrained" => ConstrainedModel,
        _ => throw new ArgumentException(name),
    };

    private static AutoGuide GuideFor(string family, Action model, bool preconditioned)
    {
        var f = VariationalFamilies.Get(family);
        GaussianPreconditioner? p = null;
        if (preconditioned)
        {
            int d = ModelPrototype.Capture(model).Latents.Sum(l => l.UnconstrainedCount);
            var shift = Enumerable.Range(0, d).Select(i => 0.1 * i - 0.3).ToArray();
            var factor = new double[d * d];
            for (int i = 0; i < d; i++)
                for (int j = 0; j <= i; j++) factor[i * d + j] = i == j ? 0.5 + 0.1 * i : 0.05 * (i - j);
            p = new GaussianPreconditioner(shift, factor);
        }
        return f.Create(model, new FamilyOptions { Preconditioner = p });
    }

    /// <summary>Sets every guide parameter to a fixed, non-trivial value (not the initial one), so every term matters.</summary>
    private static void Perturb(ParamStore store)
    {
        int k = 0;
        foreach (var (_, value) in store.Unconstrained)
        {
            var span = value.Span;
            for (int i = 0; i < span.Length; i++) span[i] = 0.3 * Math.Sin(1.7 * k++ + 0.2) - 0.1;
        }
    }

    private static (double Loss, double Estimate, Dictionary<string, double[]> Gradients) Evaluate(IObjective objective, Svi svi, ulong seed)
    {
        using var _ = svi.Store.Use();
        using var scope = new TensorScope();
        foreach (var (_, p) in svi.Store.Unconstrained) p.ZeroGrad();
        var value = objective.Evaluate(svi.Model, svi.Guide, svi.MaxPlateNesting, new RandomStream(seed));
        double loss = value.Loss.Item();
        value.Loss.Backward();
        var gradients = svi.Store.Unconstrained.ToDictionary(p => p.Key, p => p.Value.Grad?.Span.ToArray() ?? new double[p.Value.Count]);
        foreach (var (_, p) in svi.Store.Unconstrained) p.ZeroGrad();
        return (loss, value.Estimate, gradients);
    }

    private static void AssertClose(double expected, double actual, string what)
    {
        double tolerance = 1e-12 * Math.Max(1, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: general {expected:R}, flat {actual:R}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SameLossEstimateAndGradientsAsTheGeneralPath(string modelName, string family, bool stickingTheLanding)
    {
        foreach (bool preconditioned in new[] { false, true })
        {
            var model = ModelNamed(modelName);
            var guide = GuideFor(family, model, preconditioned);
            var estimator = stickingTheLanding ? GradientEstimator.StickingTheLanding : GradientEstimator.Reparameterized;
            var general = new Elbo(3, estimator);
            var flat = FlatGaussianElbo.Wrap(general, guide);
            Assert.IsType<FlatGaussianElbo>(flat);
            var svi = new Svi(model, guide, new Adam(0.01), general);
            Perturb(svi.Store);
            var expected = Evaluate(general, svi, 17);
            var actual = Evaluate(flat, svi, 17);
            string where = $"{modelName} {family} stl={stickingTheLanding} preconditioned={preconditioned}";
            Assert.True(double.IsFinite(expected.Loss), $"{where}: loss {expected.Loss}");
            AssertClose(expected.Loss, actual.Loss, $"{where} loss");
            AssertClose(expected.Estimate, actual.Estimate, $"{where} estimate");
            foreach (var (name, g) in expected.Gradients)
            {
                Assert.Contains(g, x => x != 0);
                for (int i = 0; i < g.Length; i++) AssertClose(g[i], actual.Gradients[name][i], $"{where} d/d{name}[{i}]");
            }
            Assert.False(((FlatGaussianElbo)flat).UsesGeneralPath);

            // the no-gradient estimate of the convergence rule, many particles
            using (svi.Store.Use())
            using (new TensorScope())
                AssertClose(general.Estimate(model, svi.Guide, svi.MaxPlateNesting, 50, new RandomStream(5)),
                    flat.Estimate(model, svi.Guide, svi.MaxPlateNesting, 50, new RandomStream(5)), $"{where} estimate of 50 particles");
        }
    }

    [Fact]
    public void DoesNotApplyToTheScoreFunctionEstimatorOrOtherGuides()
    {
        var model = ModelNamed("eight_schools");
        var normal = new AutoNormal(model);
        Assert.IsType<Elbo>(FlatGaussianElbo.Wrap(new Elbo(2, GradientEstimator.ScoreFunction), normal));
        Assert.IsType<Elbo>(FlatGaussianElbo.Wrap(new Elbo(2), new AutoDelta(model)));
    }

    /// <summary>A model that takes an extra latent site from its <paramref name="changeAt"/>-th run on (a structure the guide does not know).</summary>
    private sealed class ChangingModel(int changeAt, bool drop)
    {
        public int Runs { get; private set; }

        public void Run()
        {
            Runs++;
            var mu = Sample("mu", new Normal(0.0, 1.0));
            if (Runs < changeAt || drop && Runs >= changeAt)
            {
                if (Runs < changeAt) Sample("tau", new HalfNormal(1.0));
                Sample("y", new Normal(mu, Tensor.Scalar(1.0)), Tensor.Scalar(0.5));
                return;
            }
            var extra = Sample("extra", new Normal(mu, Tensor.Scalar(1.0)));
            Sample("tau", new HalfNormal(1.0));
            Sample("y", new Normal(mu + extra, Tensor.Scalar(1.0)), Tensor.Scalar(0.5));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FallsBackToTheGeneralPathWhenTheModelsStructureChanges(bool drop)
    {
        // the guide is built from the first runs (mu, tau); later runs add a site "extra" (or drop "tau")
        var changing = new ChangingModel(changeAt: 1_000_000, drop);
        var guide = new AutoNormal(changing.Run);
        var general = new Elbo(2);
        var flat = (FlatGaussianElbo)FlatGaussianElbo.Wrap(general, guide);
        var svi = new Svi(changing.Run, guide, new Adam(0.01), general);
        Perturb(svi.Store);
        AssertClose(Evaluate(general, svi, 3).Loss, Evaluate(flat, svi, 3).Loss, "before the change");
        Assert.False(flat.UsesGeneralPath);

        var changed = new ChangingModel(changeAt: 0, drop);
        var sviChanged = new Svi(changed.Run, guide, new Adam(0.01), general, svi.Store);
        double expected = Evaluate(general, sviChanged, 4).Loss;
        double actual = Evaluate(flat, sviChanged, 4).Loss;
        Assert.True(flat.UsesGeneralPath, "the structure change was not detected");
        Assert.Equal(expected, actual);
        // and it stays on the general path
        Assert.Equal(Evaluate(general, svi, 5).Loss, Evaluate(flat, svi, 5).Loss);
        Assert.True(flat.UsesGeneralPath);
    }

    [Theory]
    [InlineData("meanfield")]
    [InlineData("fullrank")]
    public void AFitOnTheFlatPathMatchesTheGeneralPath(string family)
    {
        var model = ModelNamed("eight_schools");
        var options = new FitOptions { Family = VariationalFamilies.Get(family), Steps = 400, Tolerance = null, AverageSteps = 100, Draws = 100, Seed = 4 };
        var flat = VariationalFit.Fit(model, options);
        var general = VariationalFit.Fit(model, options with { FlatGaussianPath = false });
        Assert.IsType<FlatGaussianElbo>(flat.Objective);
        Assert.IsType<Elbo>(general.Objective);
        for (int i = 0; i < flat.Summary.Count; i++)
            Assert.True(Math.Abs(flat.Summary[i].Mean - general.Summary[i].Mean) <= 1e-9 * Math.Max(1, Math.Abs(general.Summary[i].Mean)),
                $"{flat.Summary[i].Name}: flat {flat.Summary[i].Mean:R}, general {general.Summary[i].Mean:R}");
        Assert.Equal(general.Elbo, flat.Elbo, 9);
    }
}
