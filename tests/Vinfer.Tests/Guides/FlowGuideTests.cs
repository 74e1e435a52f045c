using Vinfer.Experiments.Targets;
using Vinfer.Guides;
using Vinfer.Inference;
using Vinfer.Modeling;
using Vinfer.Objectives;
using Vinfer.Optim;
using Vinfer.Random;

namespace Vinfer.Tests.Guides;

/// <summary>Flow guides fitted by SVI against targets with exact samplers.</summary>
public class FlowGuideTests
{
    internal static (double[] Mean, double[] Sd) Moments(double[] rows, int width)
    {
        int n = rows.Length / width;
        var mean = new double[width];
        var sd = new double[width];
        for (int i = 0; i < n; i++) for (int j = 0; j < width; j++) mean[j] += rows[i * width + j] / n;
        for (int i = 0; i < n; i++) for (int j = 0; j < width; j++) sd[j] += Math.Pow(rows[i * width + j] - mean[j], 2) / n;
        for (int j = 0; j < width; j++) sd[j] = Math.Sqrt(sd[j]);
        return (mean, sd);
    }

    internal static PosteriorDraws Fit(SamplingTarget target, AutoGuide guide, int steps, int particles, double rate, int draws, ulong seed = 1)
    {
        var store = new ParamStore();
        var adam = new Adam(rate);
        var svi = new Svi(target.Program, guide, adam, new Elbo(particles), store);
        var run = svi.Run(new SviOptions { Steps = steps, Tolerance = null, Seed = seed });
        Console.WriteLine($"steps {run.Steps} recoveries {run.Recoveries} elbo {run.ElboTrace[^200..].Average():F3} rate {run.LearningRate}");
        return PosteriorSampler.Draw(target.Program, guide.Run, ModelPrototype.Capture(target.Program), store, draws, new RandomStream(new RandomKey(seed + 100)));
    }

    internal static FitResult FitWith(SamplingTarget target, VariationalFamily family, int steps, int draws = 4000, int? layers = null, int[]? hidden = null) =>
        VariationalFit.Fit(target.Program, new FitOptions { Family = family, Steps = steps, Tolerance = null, Draws = draws, FlowLayers = layers, Hidden = hidden });

    [Theory]
    [InlineData("flow")]
    [InlineData("iaf")]
    public void TheBananasMomentsAreMatched(string familyName)
    {
        var family = VariationalFamilies.Get(familyName);
        var banana = new Banana(0.01);
        int steps = int.Parse(Environment.GetEnvironmentVariable("FLOW_STEPS") ?? "3000");
        var fit = FitWith(banana, family, steps);
        var (mean, sd) = Moments(fit.Draws.Values, 2);
        var (exactMean, exactSd) = Moments(banana.DrawExact(new RandomKey(9), 100_000), 2);
        Console.WriteLine($"{family}: elbo {fit.Elbo:F3} khat {fit.KHat:F2} mean {mean[0]:F3} {mean[1]:F3} sd {sd[0]:F3} {sd[1]:F3} exact {exactMean[0]:F3} {exactMean[1]:F3} {exactSd[0]:F3} {exactSd[1]:F3}");
        for (int j = 0; j < 2; j++)
        {
            Assert.InRange(Math.Abs(mean[j] - exactMean[j]) / exactSd[j], 0, 0.1);
            Assert.InRange(sd[j] / exactSd[j], 0.8, 1.2);
        }
    }

    /// <summary>A fitted flow guide saved and loaded without the model draws exactly what the original draws.</summary>
    [Theory]
    [InlineData(FlowKind.Iaf)]
    [InlineData(FlowKind.AffineCoupling)]
    [InlineData(FlowKind.Planar)]
    [InlineData(FlowKind.Radial)]
    [InlineData(FlowKind.Maf)]
    [InlineData(FlowKind.SplineCoupling)]
    [InlineData(FlowKind.SplineAutoregressive)]
    public void ASavedFlowGuideLoadsAndDrawsTheSame(FlowKind kind)
    {
        var banana = new Banana(0.01);
        var guide = new AutoNormalizingFlow(banana.Program, kind, layers: 2, hiddenSizes: [8]);
        var store = new ParamStore();
        new Svi(banana.Program, guide, new Adam(0.01), new Elbo(4), store).Run(new SviOptions { Steps = 20, Tolerance = null, Seed = 3 });
        var loaded = GuideFile.FromJson(guide.ToJson(store));
        Assert.Equal("AutoNormalizingFlow", loaded.Guide.Family);
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
    /// A flow fitted in whitened coordinates (issue 10's arma11 fix): with the same parameters and seed its draw is
    /// m + L·(the unwhitened flow's draw), its log density is the unwhitened one less log|det L|, and it saves and
    /// loads with the whitening.
    /// </summary>
    [Theory]
    [InlineData(FlowKind.Iaf)]
    [InlineData(FlowKind.AffineCoupling)]
    public void AWhitenedFlowGuideIsTheAffineImageOfTheFlowAndSavesIt(FlowKind kind)
    {
        var banana = new Banana(0.01);
        double[] shift = [1.5, -2.0];
        double[] factor = [2.0, 0.0, 0.5, 3.0];
        var whitening = new GaussianPreconditioner(shift, factor);
        var plain = kind == FlowKind.Iaf ? new AutoIafNormal(banana.Program, layers: 2, hiddenSizes: [8]) : new AutoNormalizingFlow(banana.Program, kind, layers: 2, hiddenSizes: [8]);
        var whitened = kind == FlowKind.Iaf ? new AutoIafNormal(banana.Program, whitening, layers: 2, hiddenSizes: [8]) : new AutoNormalizingFlow(banana.Program, whitening, kind, layers: 2, hiddenSizes: [8]);
        var store = new ParamStore();
        new Svi(banana.Program, plain, new Adam(0.01), new Elbo(4), store).Run(new SviOptions { Steps = 20, Tolerance = null, Seed = 3 });
        (double[] Draw, double LogQ) Run(AutoGuide g, ParamStore s)
        {
            var tracer = new Vinfer.Modeling.Handlers.TraceMessenger();
            using (s.Use())
            using (Vinfer.Modeling.Handlers.Handle.Seed(7))
            using (tracer.Enter())
                g.Run();
            double[] draw = [.. tracer.Trace["x1"].Value!.ToArray(), .. tracer.Trace["x2"].Value!.ToArray()];
            using (s.Use())
                return (draw, ((AutoNormalizingFlow)g).LatentDistribution().LogProb(Vinfer.Tensors.Tensor.FromArray(draw, 2)).Sum().Item());
        }
        using (store.Use())
        using (Vinfer.Modeling.Handlers.Handle.Seed(1))
            whitened.Run(); // the guide captures the model's prototype on its first run, which must not be traced below
        var (w, logQw) = Run(plain, store);
        var (x, logQx) = Run(whitened, store);
        Assert.Equal(shift[0] + 2.0 * w[0], x[0], 10);
        Assert.Equal(shift[1] + 0.5 * w[0] + 3.0 * w[1], x[1], 10);
        Assert.Equal(logQw - Math.Log(2.0 * 3.0), logQx, 9);
        var loaded = GuideFile.FromJson(whitened.ToJson(store));
        var flow = Assert.IsAssignableFrom<AutoNormalizingFlow>(loaded.Guide);
        Assert.Equal(shift, flow.Preconditioner!.Shift);
        Assert.Equal(x, Run(loaded.Guide, loaded.Store).Draw);
    }
}
