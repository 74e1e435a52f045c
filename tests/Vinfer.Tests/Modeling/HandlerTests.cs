using Vinfer.Distributions;
using Vinfer.Modeling;
using Vinfer.Modeling.Handlers;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Tests.Modeling;

public class HandlerTests
{
    private static double NormalLogPdf(double x, double m, double s) => -0.5 * ((x - m) / s) * ((x - m) / s) - Math.Log(s) - 0.5 * Math.Log(2 * Math.PI);

    private static void TwoSiteModel()
    {
        var a = Sample("a", new Normal(0.0, 2.0));
        Sample("b", new Normal(a, Tensor.Scalar(0.5)));
    }

    [Fact]
    public void TraceRecordsSitesValuesAndLogProbs()
    {
        Trace trace;
        using (Handle.Seed(3)) trace = Handle.TraceOf(TwoSiteModel);
        Assert.Equal(["a", "b"], trace.Sites.Select(s => s.Name));
        Assert.All(trace.Sites, s => Assert.False(s.IsObserved));
        double a = trace["a"].Value!.Item(), b = trace["b"].Value!.Item();
        double expected = NormalLogPdf(a, 0, 2) + NormalLogPdf(b, a, 0.5);
        Assert.Equal(expected, trace.LogProbSum().Item(), 12);
    }

    [Fact]
    public void SeedGivesIdenticalDrawsAndDifferentSeedsDiffer()
    {
        double Draw(ulong seed)
        {
            using (Handle.Seed(seed)) return Handle.TraceOf(TwoSiteModel)["b"].Value!.Item();
        }
        Assert.Equal(Draw(7), Draw(7));
        Assert.NotEqual(Draw(7), Draw(8));
    }

    [Fact]
    public void SampleWithoutSeedFailsClearly()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Handle.TraceOf(TwoSiteModel));
        Assert.Contains("'a'", e.Message);
    }

    [Fact]
    public void ConditionMakesSitesObserved()
    {
        var data = new Dictionary<string, Tensor> { ["b"] = Tensor.Scalar(1.5) };
        Trace trace;
        using (Handle.Seed(1)) using (Handle.Condition(data)) trace = Handle.TraceOf(TwoSiteModel);
        Assert.True(trace["b"].IsObserved);
        Assert.False(trace["a"].IsObserved);
        Assert.Equal(1.5, trace["b"].Value!.Item());
        Assert.Single(trace.Latents);
    }

    [Fact]
    public void SubstituteFixesLatentValueWithoutObservingIt()
    {
        var values = new Dictionary<string, Tensor> { ["a"] = Tensor.Scalar(0.25) };
        Trace trace;
        using (Handle.Seed(1)) using (Handle.Substitute(values)) trace = Handle.TraceOf(TwoSiteModel);
        Assert.False(trace["a"].IsObserved);
        Assert.Equal(0.25, trace["a"].Value!.Item());
        var b = trace["b"].Value!.Item();
        Assert.Equal(NormalLogPdf(0.25, 0, 2) + NormalLogPdf(b, 0.25, 0.5), trace.LogProbSum().Item(), 12);
    }

    [Fact]
    public void ReplayReusesValuesOfAnotherTrace()
    {
        Trace first, second;
        using (Handle.Seed(1)) first = Handle.TraceOf(TwoSiteModel);
        using (Handle.Seed(2)) using (Handle.Replay(first)) second = Handle.TraceOf(TwoSiteModel);
        Assert.Same(first["a"].Value, second["a"].Value);
        Assert.Same(first["b"].Value, second["b"].Value);
    }

    [Fact]
    public void ReplaySkipsAuxiliarySitesUnlessAsked()
    {
        void Guide() { Auxiliary("a", new Normal(0.0, 1.0)); }
        Trace source, plain;
        using (Handle.Seed(1)) source = Handle.TraceOf(Guide);
        using (Handle.Seed(2)) using (Handle.Replay(source)) plain = Handle.TraceOf(TwoSiteModel);
        Assert.NotEqual(source["a"].Value!.Item(), plain["a"].Value!.Item());
        Trace withAux;
        using (Handle.Seed(2)) using (new ReplayMessenger(source, includeAuxiliary: true).Enter()) withAux = Handle.TraceOf(Guide);
        Assert.Equal(source["a"].Value!.Item(), withAux["a"].Value!.Item());
    }

    [Fact]
    public void ScaleMultipliesLogDensities()
    {
        Trace plain, scaled;
        using (Handle.Seed(4)) plain = Handle.TraceOf(TwoSiteModel);
        using (Handle.Seed(4)) using (Handle.Scale(3.0)) scaled = Handle.TraceOf(TwoSiteModel);
        Assert.Equal(3.0 * plain.LogProbSum().Item(), scaled.LogProbSum().Item(), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScaleMessenger(-1));
    }

    [Fact]
    public void BlockHidesSitesFromOuterHandlers()
    {
        var outer = new TraceMessenger();
        var inner = new TraceMessenger();
        // The seed goes inside the block: a blocked site is hidden from every outer handler, seeds included.
        using (outer.Enter())
        using (BlockMessenger.Hiding("a").Enter())
        using (Handle.Seed(1))
        using (inner.Enter())
            TwoSiteModel();
        Assert.Equal(["b"], outer.Trace.Sites.Select(s => s.Name));
        Assert.Equal(["a", "b"], inner.Trace.Sites.Select(s => s.Name));
        var all = new TraceMessenger();
        using (all.Enter()) using (Handle.Block()) using (Handle.Seed(1)) TwoSiteModel();
        Assert.Empty(all.Trace.Sites);
    }

    [Fact]
    public void DuplicateSiteNamesAreRejected()
    {
        void Twice() { Sample("x", new Normal(0.0, 1.0)); Sample("x", new Normal(0.0, 1.0)); }
        using (Handle.Seed(1))
            Assert.Contains("'x'", Assert.Throws<InvalidOperationException>(() => Handle.TraceOf(Twice)).Message);
    }

    [Fact]
    public void DeterministicSitesAreRecorded()
    {
        void Model()
        {
            var a = Sample("a", new Normal(0.0, 1.0));
            Deterministic("twice", a * 2.0);
        }
        Trace t;
        using (Handle.Seed(5)) t = Handle.TraceOf(Model);
        Assert.Equal(SiteKind.Deterministic, t["twice"].Kind);
        Assert.Equal(2 * t["a"].Value!.Item(), t["twice"].Value!.Item(), 14);
    }

    [Fact]
    public void HandlersMustExitInOrder()
    {
        var a = new TraceMessenger().Enter();
        var b = new TraceMessenger().Enter();
        Assert.Throws<InvalidOperationException>(() => a.Dispose());
        b.Dispose();
        a.Dispose();
    }
}
