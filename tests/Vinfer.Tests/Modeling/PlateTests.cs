using Vinfer.Distributions;
using Vinfer.Modeling;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

using Vinfer.Modeling.Handlers;

namespace Vinfer.Tests.Modeling;

public class PlateTests
{
    [Fact]
    public void PlateExpandsBatchShapeAndRecordsFrames()
    {
        void Model()
        {
            using (Plate("outer", 3))
            using (Plate("inner", 4))
                Sample("z", new Normal(0.0, 1.0));
        }
        Trace t;
        using (Handle.Seed(1)) t = Handle.TraceOf(Model);
        var z = t["z"];
        // As in Pyro, automatically allocated dims go right to left in the order plates are entered.
        Assert.Equal([4, 3], z.Value!.Shape.ToArray());
        Assert.Equal(["outer", "inner"], z.Frames.Select(f => f.Name));
        Assert.Equal([-1, -2], z.Frames.Select(f => f.Dim));
        Assert.Equal(1.0, z.Scale);
    }

    [Fact]
    public void SubsamplingScalesLogLikelihoodAndDrawsDistinctIndices()
    {
        const int n = 50, k = 10;
        var data = Tensor.Arange(n) * 0.1;
        int[] indices = [];
        void Model()
        {
            using var p = Plate("data", n, k);
            indices = p.Indices;
            var batch = Tensor.FromArray(p.Indices.Select(i => data.Span[i]).ToArray());
            Sample("x", new Normal(0.0, 1.0), batch);
        }
        Trace t;
        using (Handle.Seed(9)) t = Handle.TraceOf(Model);
        Assert.Equal(k, indices.Length);
        Assert.Equal(k, indices.Distinct().Count());
        Assert.All(indices, i => Assert.InRange(i, 0, n - 1));
        Assert.True(indices.SequenceEqual(indices.Order()));
        var x = t["x"];
        Assert.Equal((double)n / k, x.Scale);
        double expected = 0;
        foreach (int i in indices)
        {
            double v = data.Span[i];
            expected += -0.5 * v * v - 0.5 * Math.Log(2 * Math.PI);
        }
        Assert.Equal(expected * n / k, t.LogProbSum().Item(), 10);
    }

    [Fact]
    public void SubsampleIndicesAreReplayedIntoTheModel()
    {
        int[] guideIdx = [], modelIdx = [];
        void Guide() { using var p = Plate("data", 100, 5); guideIdx = p.Indices; }
        void Model() { using var p = Plate("data", 100, 5); modelIdx = p.Indices; }
        Trace g;
        using (Handle.Seed(1)) g = Handle.TraceOf(Guide);
        using (Handle.Seed(2)) using (Handle.Replay(g)) Handle.TraceOf(Model);
        Assert.Equal(guideIdx, modelIdx);
    }

    [Fact]
    public void MismatchedBatchSizeNamesThePlate()
    {
        void Model()
        {
            using (Plate("J", 3)) Sample("z", new Normal(Tensor.Zeros(4), Tensor.Ones(4)));
        }
        using (Handle.Seed(1))
            Assert.Contains("'J'", Assert.Throws<ArgumentException>(() => Handle.TraceOf(Model)).Message);
    }

    [Fact]
    public void BadPlateArgumentsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Plate("p", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Plate("p", 5, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => Plate("p", 5, dim: 0));
    }
}
