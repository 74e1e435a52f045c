using Vinfer.Experiments.Targets;
using Vinfer.Guides;
using Vinfer.Inference;
using Vinfer.Modeling;
using Vinfer.Modeling.Handlers;
using Vinfer.Objectives;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Tests.Guides;

/// <summary>
/// Sticking-the-landing and DReG (Tucker, Lawson, Gu and Maddison, ICLR 2019) with flow guides: both re-score a draw
/// z(φ) as log q at detached parameters, which a flow does through its inverse (an IAF's d passes, a coupling layer's
/// one). Checked: that log q so computed equals the guide's own log q (the value), that DReG's gradient has the plain
/// IWAE gradient's expectation (a fixed-seed Monte Carlo, 5 standard errors per component), and
/// that a planar flow, whose inverse is numeric, is a clear error rather than a silently biased gradient.
/// </summary>
public class FlowGuideDregTests
{
    private static readonly NealsFunnel Funnel = new(3);

    /// <summary>A flow guide on the 3-d funnel with every unconstrained parameter moved off its initial value by N(0, 0.3²) noise.</summary>
    private static (AutoNormalizingFlow Guide, ParamStore Store) PerturbedGuide(FlowKind kind, bool whitened = false)
    {
        var guide = whitened
            ? new AutoNormalizingFlow(Funnel.Program, new GaussianPreconditioner([0.2, -0.1, 0.3], [1.5, 0, 0, 0.4, 0.9, 0, -0.2, 0.1, 1.2]), kind, layers: 2, hiddenSizes: [8])
            : new AutoNormalizingFlow(Funnel.Program, kind, layers: 2, hiddenSizes: [8]) { MaximumLogScale = 6 };
        return (guide, Perturbed(guide));
    }

    private static ParamStore Perturbed(AutoGuide guide)
    {
        var store = new ParamStore();
        using (store.Use()) guide.InitializeParameters();
        var random = new System.Random(7);
        var values = store.SnapshotValues();
        foreach (var v in values.Values)
            for (int i = 0; i < v.Length; i++)
            {
                double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
                v[i] += 0.3 * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            }
        store.RestoreValues(values);
        return store;
    }

    public static TheoryData<FlowKind, bool> Rescorable => new()
    {
        { FlowKind.Iaf, false }, { FlowKind.Maf, false }, { FlowKind.AffineCoupling, false }, { FlowKind.SplineCoupling, false },
        { FlowKind.SplineAutoregressive, false }, { FlowKind.Radial, false }, { FlowKind.Iaf, true },
    };

    /// <summary>
    /// log q of the guide's own draws (from the flows' caches, parameters live) against log q of the same draws re-scored
    /// through the inverse with every parameter detached, as STL and DReG do (<see cref="Elbo.DetachedParameterLogQ"/>).
    /// </summary>
    [Theory]
    [MemberData(nameof(Rescorable))]
    public void LogQAtDetachedParametersEqualsTheGuidesOwnLogQ(FlowKind kind, bool whitened)
    {
        var (guide, store) = PerturbedGuide(kind, whitened);
        using var _ = store.Use();
        var w = ParticleLogWeights.Compute(Funnel.Program, guide.Run, 32, guide.MaxPlateNesting, new RandomStream(3));
        var own = w.LogQ.ToArray();
        var rescored = Elbo.DetachedParameterLogQ(guide.Run, w);
        Assert.True(rescored.RequiresGrad, "the re-scored log q must keep its path through the draws");
        var values = rescored.ToArray();
        for (int i = 0; i < own.Length; i++) Assert.Equal(own[i], values[i], 1e-9 * Math.Max(1, Math.Abs(own[i])));
    }

    /// <summary>
    /// Re-scored at detached parameters, log q of draws that carry no gradient carries none: the parameters enter only
    /// through the draws, also in the layers' log|det J| and inverse, which the trace evaluates after the guide returns.
    /// </summary>
    [Theory]
    [MemberData(nameof(Rescorable))]
    public void LogQAtDetachedParametersDependsOnTheParametersOnlyThroughTheDraw(FlowKind kind, bool whitened)
    {
        var (guide, store) = PerturbedGuide(kind, whitened);
        using var _ = store.Use();
        ParticleLogWeights w;
        using (GradMode.Disable()) w = ParticleLogWeights.Compute(Funnel.Program, guide.Run, 8, guide.MaxPlateNesting, new RandomStream(5));
        Assert.False(Elbo.DetachedParameterLogQ(guide.Run, w).RequiresGrad, $"{kind}: log q at detached parameters still depends on live parameters");
    }

    /// <summary>R gradients (of the loss) with respect to every unconstrained parameter of the guide, flattened.</summary>
    private static double[][] Gradients(FlowKind kind, GradientEstimator estimator, int k, int repeats, ulong seed)
    {
        // the banana: the funnel's heavy-tailed IWAE gradients make standard errors too loose to see a bias
        var banana = new Banana(0.03);
        var guide = new AutoNormalizingFlow(banana.Program, kind, layers: 2, hiddenSizes: [8]);
        var store = Perturbed(guide);
        var json = store.ToJson();
        var result = new double[repeats][];
        for (int r = 0; r < repeats; r++)
        {
            var copy = ParamStore.FromJson(json);
            using var _ = copy.Use();
            new IwaeBound(k, 1, estimator).Evaluate(banana.Program, guide.Run, guide.MaxPlateNesting, new RandomStream(seed + (ulong)r)).Loss.Backward();
            result[r] = [.. copy.Unconstrained.SelectMany(p => p.Value.Grad?.ToArray() ?? new double[p.Value.Count])];
        }
        return result;
    }

    /// <summary>
    /// E[DReG] = E[IWAE reparameterized gradient] (Tucker et al. 2019, eq. 5–7) for every parameter of a flow guide on
    /// the banana: 400 independent K = 8 gradients each, means within 5 standard errors of their difference per
    /// component. (With the conditioners reading live parameters when log q was computed, DReG's means were 0.5–0.7
    /// of IWAE's, 20–40 standard errors apart.)
    /// </summary>
    [Theory]
    [InlineData(FlowKind.Iaf)]
    [InlineData(FlowKind.AffineCoupling)]
    public void DregHasTheIwaeGradientsExpectationForAFlowGuide(FlowKind kind)
    {
        const int repeats = 400, k = 8;
        var plain = Gradients(kind, GradientEstimator.Reparameterized, k, repeats, 1000);
        var dreg = Gradients(kind, GradientEstimator.DoublyReparameterized, k, repeats, 50_000);
        var (mp, vp) = Objectives.ImportanceWeightedGradientTests.Moments(plain);
        var (md, vd) = Objectives.ImportanceWeightedGradientTests.Moments(dreg);
        int nonZero = 0;
        for (int j = 0; j < mp.Length; j++)
        {
            double se = Math.Sqrt(vp[j] / repeats + vd[j] / repeats);
            if (se == 0) { Assert.Equal(mp[j], md[j], 12); continue; }
            nonZero++;
            Assert.True(Math.Abs(mp[j] - md[j]) <= 5 * se, $"{kind}: component {j}: IWAE mean {mp[j]} and DReG mean {md[j]} differ by more than 5 se ({se})");
        }
        Assert.True(nonZero > mp.Length / 2, $"{kind}: only {nonZero} of {mp.Length} gradient components vary");
    }

    /// <summary>A planar flow's numeric inverse cannot carry the draw's gradient: DReG names PlanarFlow instead of returning a biased gradient.</summary>
    [Fact]
    public void DregWithAPlanarFlowIsAnErrorNamingTheFlow()
    {
        var (guide, store) = PerturbedGuide(FlowKind.Planar);
        using var _ = store.Use();
        var e = Assert.Throws<NotSupportedException>(() =>
            new IwaeBound(4, 1, GradientEstimator.DoublyReparameterized).Evaluate(Funnel.Program, guide.Run, guide.MaxPlateNesting, new RandomStream(1)));
        Assert.Contains("PlanarFlow", e.Message);
        // the plain reparameterized gradient still works: the planar flow's own draws invert from its cache
        var value = new IwaeBound(4, 1, GradientEstimator.Reparameterized).Evaluate(Funnel.Program, guide.Run, guide.MaxPlateNesting, new RandomStream(1));
        Assert.True(double.IsFinite(value.Estimate));
    }

    /// <summary>The fit refuses DReG for the planar family with one error naming PlanarFlow, and accepts it for iaf.</summary>
    [Fact]
    public void TheFitRefusesDregForPlanarAndAcceptsItForIaf()
    {
        FitOptions Options(string family) => new()
        {
            Family = VariationalFamilies.Get(family), Steps = 20, Tolerance = null, Draws = 10, Seed = 1,
            Objective = (k, _) => new IwaeBound(4, 1, GradientEstimator.DoublyReparameterized),
        };
        var e = Assert.Throws<ArgumentException>(() => VariationalFit.Fit(Funnel.Program, Options("planar")));
        Assert.Contains("PlanarFlow", e.Message);
        Assert.Contains("--estimator reparam", e.Message);
        var fit = VariationalFit.Fit(Funnel.Program, Options("iaf"));
        Assert.Equal(20, fit.Run.Steps);
    }
}
