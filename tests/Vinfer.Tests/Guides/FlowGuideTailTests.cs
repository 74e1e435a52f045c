using Vinfer.Distributions;
using Vinfer.Experiments.Targets;
using Vinfer.Flows;
using Vinfer.Guides;
using Vinfer.Inference;
using Vinfer.Modeling;
using Vinfer.Objectives;
using Vinfer.Optim;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Tests.Guides;

/// <summary>
/// The flow guide's tail options: a Student-t base with learned degrees of freedom (Jaini et al. 2020) and the upper
/// clamp of the IAF log-scale, checked against closed forms.
/// </summary>
public class FlowGuideTailTests
{
    private static (AutoNormalizingFlow Guide, ParamStore Store, TransformedDistribution Distribution) StudentTGuide(double df)
    {
        var banana = new Banana(0.01);
        var guide = new AutoNormalizingFlow(banana.Program, FlowKind.Iaf, layers: 1, hiddenSizes: [8]) { BaseDegreesOfFreedom = df };
        var store = new ParamStore();
        using (store.Use())
        {
            guide.InitializeParameters();
            return (guide, store, (TransformedDistribution)guide.LatentDistribution());
        }
    }

    /// <summary>log t₅(u) = log Γ(3) − log Γ(5/2) − ½ log 5π − 3 log(1 + u²/5), with Γ(5/2) = 3√π/4, summed over the coordinates.</summary>
    [Fact]
    public void TheStudentTBaseHasTheClosedFormDensity()
    {
        var (_, store, distribution) = StudentTGuide(5);
        Assert.All(store.Get("AutoNormalizingFlow.df").ToArray(), df => Assert.Equal(5.0, df, 12));
        double[] u = [0.3, -1.7];
        double expected = 0;
        foreach (double x in u)
            expected += Math.Log(2) - Math.Log(3 * Math.Sqrt(Math.PI) / 4) - 0.5 * Math.Log(5 * Math.PI) - 3 * Math.Log(1 + x * x / 5);
        double actual;
        using (store.Use()) actual = distribution.BaseDistribution.LogProb(Tensor.FromArray(u, 2)).Item();
        Assert.Equal(expected, actual, 12);
    }

    /// <summary>
    /// The base's draws against t₅'s closed forms: E|T| = 2√ν Γ((ν+1)/2) / (√π (ν − 1) Γ(ν/2)) = 4√5 / (3π) and
    /// Var T = ν/(ν − 2) = 5/3, within 5 standard errors of n = 200,000 draws (Var|T| = 5/3 − (E|T|)²; the sample
    /// variance's sd is Var T·√((κ − 1)/n) with kurtosis κ = 3 + 6/(ν − 4) = 9).
    /// </summary>
    [Fact]
    public void TheStudentTBaseDrawsHaveTheClosedFormMoments()
    {
        var (_, store, distribution) = StudentTGuide(5);
        const int n = 200_000;
        double[] draws;
        using (store.Use()) draws = distribution.BaseDistribution.RSample(new RandomStream(new RandomKey(11)), n / 2).ToArray();
        double meanAbs = draws.Average(Math.Abs), variance = draws.Average(x => x * x);
        double exactMeanAbs = 4 * Math.Sqrt(5) / (3 * Math.PI), exactVariance = 5.0 / 3;
        Assert.InRange(meanAbs, exactMeanAbs - 5 * Math.Sqrt((exactVariance - exactMeanAbs * exactMeanAbs) / n), exactMeanAbs + 5 * Math.Sqrt((exactVariance - exactMeanAbs * exactMeanAbs) / n));
        Assert.InRange(variance, exactVariance - 5 * exactVariance * Math.Sqrt(8.0 / n), exactVariance + 5 * exactVariance * Math.Sqrt(8.0 / n));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.PositiveInfinity)]
    public void BadDegreesOfFreedomAreAClearError(double df)
    {
        var banana = new Banana(0.01);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new AutoNormalizingFlow(banana.Program) { BaseDegreesOfFreedom = df });
        Assert.Equal("BaseDegreesOfFreedom", e.ParamName);
    }

    /// <summary>A fitted guide with a Student-t base and a wider clamp saves both and loads drawing exactly the same.</summary>
    [Fact]
    public void TheTailOptionsSaveAndLoad()
    {
        var banana = new Banana(0.01);
        var guide = new AutoIafNormal(banana.Program, layers: 2, hiddenSizes: [8]) { BaseDegreesOfFreedom = 4, MaximumLogScale = 6 };
        var store = new ParamStore();
        new Svi(banana.Program, guide, new Adam(0.01), new Elbo(4), store).Run(new SviOptions { Steps = 20, Tolerance = null, Seed = 3 });
        var loaded = GuideFile.FromJson(guide.ToJson(store));
        var loadedFlow = Assert.IsAssignableFrom<AutoNormalizingFlow>(loaded.Guide);
        Assert.Equal(4.0, loadedFlow.BaseDegreesOfFreedom);
        Assert.Equal(6.0, loadedFlow.MaximumLogScale);
        double[] Draw(AutoGuide g, ParamStore s)
        {
            var tracer = new Vinfer.Modeling.Handlers.TraceMessenger();
            using (s.Use())
            using (Vinfer.Modeling.Handlers.Handle.Seed(7))
            using (tracer.Enter())
                g.Run();
            return [.. tracer.Trace["x1"].Value!.ToArray(), .. tracer.Trace["x2"].Value!.ToArray()];
        }
        Assert.Equal(Draw(guide, store), Draw(loaded.Guide, loaded.Store));
    }

    /// <summary>
    /// With every weight 0 and every bias 10, MADE outputs μ = s = 10 for any input, so the layer is
    /// y = x·exp(min(10, max)) + 10 and log|det J| = d·min(10, max): 3d with Pyro's clamp, 6d with the wider one.
    /// </summary>
    [Theory]
    [InlineData(null, 3.0)]
    [InlineData(6.0, 6.0)]
    public void TheLogScaleIsClampedAtTheMaximum(double? maximum, double expectedLogScale)
    {
        const int d = 3;
        var module = maximum is { } m ? new AffineAutoregressiveModule("layer", d, [5]) { MaximumLogScale = m } : new AffineAutoregressiveModule("layer", d, [5]);
        var store = new ParamStore();
        using var _ = store.Use();
        foreach (var (name, value) in module.Parameters(store))
            value.Span.Fill(name.EndsWith("bias", StringComparison.Ordinal) ? 10.0 : 0.0);
        var flow = module.Build();
        var x = Tensor.FromArray([0.5, -1.0, 2.0], d);
        var y = flow.Forward(x);
        Assert.Equal(d * expectedLogScale, flow.LogAbsDetJacobian(x, y).Item(), 10);
        var values = y.ToArray();
        for (int i = 0; i < d; i++) Assert.Equal(x.ToArray()[i] * Math.Exp(expectedLogScale) + 10, values[i], 9);
    }

    [Fact]
    public void AMaximumLogScaleBelowTheMinimumIsAClearError() =>
        Assert.Equal("MaximumLogScale", Assert.Throws<ArgumentOutOfRangeException>(() => new AffineAutoregressiveModule("layer", 3, [5]) { MaximumLogScale = -6 }).ParamName);

    /// <summary>
    /// A whitened planar guide scores its own draw with the flow's gradient: log q(m + L·f(z)) = log q_f(f(z)) − log|det L|,
    /// so the gradients in every parameter equal the unwhitened guide's (same parameters, same noise). Without the
    /// whitening's cache the numeric planar inverse is not differentiable, log q loses its gradient in the flow and the
    /// fit collapses onto a point (`vinfer fit banana --family planar` gave sd 0 and ELBO 10⁴⁴).
    /// </summary>
    [Fact]
    public void AWhitenedPlanarGuideScoresItsOwnDrawWithTheFlowsGradient()
    {
        var banana = new Banana(0.01);
        var whitening = new GaussianPreconditioner([1.5, -2.0], [2.0, 0.0, 0.5, 3.0]);
        var plain = new AutoNormalizingFlow(banana.Program, FlowKind.Planar, layers: 2);
        var whitened = new AutoNormalizingFlow(banana.Program, whitening, FlowKind.Planar, layers: 2);
        var store = new ParamStore();
        using (store.Use())
        {
            plain.InitializeParameters();
            whitened.InitializeParameters();
        }
        (double LogQ, double[] Gradient) Score(AutoNormalizingFlow guide)
        {
            using var _ = store.Use();
            foreach (var (_, value) in store.Unconstrained) value.ZeroGrad();
            var distribution = guide.LatentDistribution();
            var draw = distribution.RSample(new RandomStream(new RandomKey(5)));
            var logQ = distribution.LogProb(draw).Sum();
            logQ.Backward();
            return (logQ.Item(), store.Unconstrained.SelectMany(p => p.Value.Grad?.ToArray() ?? new double[p.Value.ToArray().Length]).ToArray());
        }
        var (logQPlain, gradientPlain) = Score(plain);
        var (logQWhitened, gradientWhitened) = Score(whitened);
        Assert.Equal(logQPlain - Math.Log(2.0 * 3.0), logQWhitened, 9);
        Assert.Contains(gradientPlain, g => g != 0);
        Assert.Equal(gradientPlain.Length, gradientWhitened.Length);
        for (int i = 0; i < gradientPlain.Length; i++) Assert.Equal(gradientPlain[i], gradientWhitened[i], 8);
    }
}
