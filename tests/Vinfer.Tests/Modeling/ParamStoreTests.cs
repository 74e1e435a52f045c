using System.Text.Json.Nodes;
using Vinfer.Distributions;
using Vinfer.Modeling;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Tests.Modeling;

public class ParamStoreTests
{
    [Fact]
    public void ParamKeepsUnconstrainedLeafAndReturnsConstrainedValue()
    {
        var store = new ParamStore();
        Tensor v;
        using (store.Use()) v = Param("s", Tensor.FromArray([0.5, 2.0]), Constraints.Positive);
        Assert.Equal(0.5, v.Span[0], 14);
        Assert.Equal(2.0, v.Span[1], 14);
        var leaf = store.GetUnconstrained("s");
        Assert.True(leaf.RequiresGrad);
        Assert.Equal(Math.Log(0.5), leaf.Span[0], 14);
        Assert.Equal(Math.Log(2.0), leaf.Span[1], 14);
        // A second request returns the stored value, not the new init.
        using (store.Use()) v = Param("s", Tensor.FromArray([9.0, 9.0]), Constraints.Positive);
        Assert.Equal(0.5, v.Span[0], 14);
    }

    [Fact]
    public void GradientFlowsToTheUnconstrainedLeaf()
    {
        var store = new ParamStore();
        using (store.Use())
        {
            var v = Param("s", Tensor.Scalar(3.0), Constraints.Positive);
            v.Backward();
        }
        // d exp(u)/du = exp(u) = 3
        Assert.Equal(3.0, store.GetUnconstrained("s").Grad!.Item(), 12);
    }

    [Fact]
    public void InitialValueOutsideSupportIsRejected()
    {
        var store = new ParamStore();
        using (store.Use())
            Assert.Contains("'s'", Assert.Throws<ArgumentException>(() => Param("s", Tensor.Scalar(-1.0), Constraints.Positive)).Message);
    }

    [Fact]
    public void SaveAndLoadAreBitExact()
    {
        var store = new ParamStore();
        using (store.Use())
        {
            Param("a", Tensor.FromArray([Math.PI, -1e-300, 1.0 / 3.0]));
            Param("b", Tensor.FromArray([0.1, 0.7], 2, 1), Constraints.UnitInterval);
            Param("c", Tensor.Scalar(2.5), Constraints.Interval(1, 4));
        }
        var path = Path.Combine(Path.GetTempPath(), $"vinfer-params-{Guid.NewGuid():N}.json");
        try
        {
            store.Save(path);
            var loaded = ParamStore.Load(path);
            Assert.Equal(store.Names, loaded.Names);
            foreach (var n in store.Names)
            {
                Assert.Equal(store.GetUnconstrained(n).ToArray(), loaded.GetUnconstrained(n).ToArray());
                Assert.Equal(store.GetUnconstrained(n).Shape.ToArray(), loaded.GetUnconstrained(n).Shape.ToArray());
                Assert.Equal(ConstraintCodec.Encode(store.GetConstraint(n)), ConstraintCodec.Encode(loaded.GetConstraint(n)));
            }
            Assert.Equal(2.5, loaded.Get("c").Item(), 13);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void NewerFormatVersionIsRejected()
    {
        var json = new ParamStore().ToJson();
        json["version"] = ParamStore.FormatVersion + 1;
        Assert.Throws<FormatException>(() => ParamStore.FromJson(json));
        Assert.Throws<FormatException>(() => ParamStore.FromJson(new JsonObject { ["format"] = "other" }));
    }
}
