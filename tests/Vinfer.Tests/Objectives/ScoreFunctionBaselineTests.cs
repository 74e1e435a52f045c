using System.Text.Json.Nodes;
using Vinfer.Distributions;
using Vinfer.Inference;
using Vinfer.Modeling;
using Vinfer.Objectives;
using Vinfer.Optim;
using Vinfer.Random;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Tests.Objectives;

/// <summary>The score-function baseline of <see cref="Elbo"/> with one particle: per site, and saved with a fit's checkpoint.</summary>
public class ScoreFunctionBaselineTests
{
    private static readonly double[] X = [0.9, 1.4, -0.2, 1.1, 0.7];

    /// <summary>A two-component location model: z ~ Bernoulli(0.3) picks the mean ±1 of the data; m is a global shift.</summary>
    private static void Model()
    {
        var z = Sample("z", new Bernoulli(Tensor.Scalar(0.3)));
        var m = Sample("m", new Normal(0.0, 1.0));
        using (Plate("data", X.Length)) Sample("x", new Normal(z * 2.0 - 1.0 + m, Tensor.Scalar(1.0)), Tensor.FromArray(X));
    }

    /// <summary>The guide draws z without a reparameterized sampler (Bernoulli has none): its gradient is score-function.</summary>
    private static void Guide()
    {
        var p = Param("q.p", Tensor.Scalar(0.5), Constraints.UnitInterval);
        Sample("z", new Bernoulli(p));
        var loc = Param("q.m.loc", Tensor.Scalar(0.0));
        var scale = Param("q.m.scale", Tensor.Scalar(1.0), Constraints.Positive);
        Sample("m", new Normal(loc, scale));
    }

    private static Svi Make() => new(Model, Guide, new Adam(0.05), new Elbo(particles: 1));

    [Fact]
    public void AResumedFitWithADiscreteLatentIsBitIdenticalToAnUninterruptedOne()
    {
        var options = new SviOptions { Steps = 60, EvalEvery = 10, Seed = 5 };
        var straight = Make();
        var full = straight.Run(options);

        var first = Make();
        first.Run(options with { Steps = 25 });
        var json = first.LastCheckpoint!.ToJson().ToJsonString();
        var resumed = Make();
        var rest = resumed.Run(options, SviCheckpoint.FromJson(JsonNode.Parse(json)!));

        Assert.Equal(full.ElboTrace, rest.ElboTrace);
        var a = straight.Store.SnapshotValues();
        var b = resumed.Store.SnapshotValues();
        Assert.Equal(a.Keys, b.Keys);
        foreach (var name in a.Keys) Assert.Equal(a[name], b[name]);
    }

    [Fact]
    public void EachScoreFunctionSiteKeepsItsOwnMovingAverage()
    {
        // Site "b" appears only on every other evaluation; its baseline must average only the evaluations it was in.
        int call = 0;
        void TwoSiteGuide()
        {
            var p = Param("q.p", Tensor.Scalar(0.4), Constraints.UnitInterval);
            Sample("a", new Bernoulli(p));
            if (call % 2 == 0) Sample("b", new Bernoulli(p));
        }
        void TwoSiteModel()
        {
            Sample("a", new Bernoulli(Tensor.Scalar(0.5)));
            if (call % 2 == 0) Sample("b", new Bernoulli(Tensor.Scalar(0.2)));
        }
        var elbo = new Elbo(particles: 1);
        using var _ = new ParamStore().Use();
        var logWeights = new List<double>();
        for (call = 0; call < 5; call++)
            logWeights.Add(elbo.Evaluate(TwoSiteModel, TwoSiteGuide, 0, new RandomStream((ulong)(40 + call))).Estimate);
        var state = elbo.SaveState()!;
        static double Average(IEnumerable<double> values)
        {
            double b = double.NaN;
            foreach (double v in values) b = double.IsNaN(b) ? v : 0.9 * b + 0.1 * v;
            return b;
        }
        Assert.Equal(Average(logWeights), (double)state["baselines"]!["a"]!, 14);
        Assert.Equal(Average(logWeights.Where((_, i) => i % 2 == 0)), (double)state["baselines"]!["b"]!, 14);

        // and it round-trips into a fresh objective
        var copy = new Elbo(particles: 1);
        copy.LoadState(JsonNode.Parse(state.ToJsonString()));
        Assert.Equal(state.ToJsonString(), copy.SaveState()!.ToJsonString());
    }
}
