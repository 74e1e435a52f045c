using Vinfer.Tensors;
using static Vinfer.Tests.Tensors.TensorTestData;

namespace Vinfer.Tests.Tensors;

/// <summary>Values and bad inputs of concat/stack/split/chunk, cumsum/flip and the matrix-structure ops.</summary>
public class JoiningAndStructureOpTests
{
    [Fact]
    public void ConcatStackSplitChunkValues()
    {
        var a = Tensor.FromArray([1.0, 2, 3, 4], 2, 2);
        var b = Tensor.FromArray([5.0, 6], 2, 1);
        Assert.Equal([1.0, 2, 5, 3, 4, 6], Tensor.Concat(1, a, b).ToArray());
        Assert.Equal([1.0, 2, 3, 4, 1, 2, 3, 4], Tensor.Concat(0, a, a).ToArray());
        var st = Tensor.Stack(-1, a, a * 10.0);
        Assert.Equal(new[] { 2, 2, 2 }, st.Shape.ToArray());
        Assert.Equal([1.0, 10, 2, 20, 3, 30, 4, 40], st.ToArray());
        Assert.Equal(new[] { 2 }, Tensor.Stack(0, Tensor.Scalar(1), Tensor.Scalar(2)).Shape.ToArray());

        var x = Uniform(31, -1, 1, 3, 7);
        var parts = x.Split([2, 0, 5], 1);
        Assert.Equal(new[] { 3, 0 }, parts[1].Shape.ToArray());
        Assert.Equal(x[2, 6], parts[2][2, 4]);
        var chunks = x.Chunk(3, -1);
        Assert.Equal([3, 3, 1], chunks.Select(c => c.Dim(1)).ToArray());
        Assert.Equal(x.ToArray(), Tensor.Concat(1, chunks).ToArray());
        Assert.Equal(2, Tensor.Zeros(2, 4).Chunk(3).Length); // ⌈2/3⌉ = 1 row each, only 2 pieces
    }

    [Fact]
    public void CumSumAndFlipValues()
    {
        var x = Tensor.FromArray([1.0, 2, 3, 4, 5, 6], 2, 3);
        Assert.Equal([1.0, 3, 6, 4, 9, 15], x.CumSum(1).ToArray());
        Assert.Equal([1.0, 2, 3, 5, 7, 9], x.CumSum(0).ToArray());
        Assert.Equal([3.0, 2, 1, 6, 5, 4], x.Flip(-1).ToArray());
        Assert.Equal([4.0, 5, 6, 1, 2, 3], x.Flip(0).ToArray());
        // the cumsum gradient is the reverse cumsum
        var p = Tensor.Parameter([1.0, 2, 3, 4]);
        (p.CumSum(0) * Tensor.FromArray([1.0, 10, 100, 1000])).Sum().Backward();
        Assert.Equal([1111.0, 1110, 1100, 1000], p.Grad!.ToArray());
    }

    [Fact]
    public void DiagonalEmbedAndTriangles()
    {
        var m = Tensor.FromArray([1.0, 2, 3, 4, 5, 6, 7, 8, 9], 3, 3);
        Assert.Equal([1.0, 5, 9], m.Diagonal().ToArray());
        Assert.Equal([1.0, 5], Tensor.FromArray([1.0, 2, 3, 4, 5, 6], 2, 3).Diagonal().ToArray());
        Assert.Equal([1.0, 0, 0, 0, 2, 0, 0, 0, 3], Tensor.FromArray([1.0, 2, 3]).DiagEmbed().ToArray());
        Assert.Equal([1.0, 0, 0, 4, 5, 0, 7, 8, 9], m.Tril().ToArray());
        Assert.Equal([0.0, 0, 0, 4, 0, 0, 7, 8, 0], m.Tril(-1).ToArray());
        Assert.Equal([1.0, 2, 0, 4, 5, 6, 7, 8, 9], m.Tril(1).ToArray());
        Assert.Equal([1.0, 2, 3, 0, 5, 6, 0, 0, 9], m.Triu().ToArray());
        Assert.Equal([0.0, 2, 3, 0, 0, 6, 0, 0, 0], m.Triu(1).ToArray());
        Assert.Equal(m.ToArray(), (m.Tril() + m.Triu(1)).ToArray());
        var batch = Uniform(32, -1, 1, 2, 4, 4);
        var d = batch.Diagonal();
        Assert.Equal(new[] { 2, 4 }, d.Shape.ToArray());
        Assert.Equal(batch[1, 3, 3], d[1, 3]);
        Assert.Equal(d.ToArray(), d.DiagEmbed().Diagonal().ToArray());
        Assert.Equal([1.0, 0, 0, 1], Tensor.Eye(2).ToArray());
    }

    [Fact]
    public void BadInputsNameOpAndShapes()
    {
        var e1 = Assert.Throws<ArgumentException>(() => Tensor.Concat(1, Tensor.Zeros(2, 3), Tensor.Zeros(3, 3)));
        Assert.Contains("Concat", e1.Message);
        Assert.Contains("[3, 3]", e1.Message);
        Assert.Contains("[2, 3]", e1.Message);
        Assert.Contains("no tensors", Assert.Throws<ArgumentException>(() => Tensor.Concat(0)).Message);
        var e2 = Assert.Throws<ArgumentException>(() => Tensor.Stack(0, Tensor.Zeros(2), Tensor.Zeros(3)));
        Assert.Contains("Stack", e2.Message);
        Assert.Contains("[3]", e2.Message);
        Assert.Contains("axis 3", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Stack(3, Tensor.Zeros(2))).Message);
        var e3 = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 5).Split([2, 2], 1));
        Assert.Contains("add up to 4", e3.Message);
        Assert.Contains("size 5", e3.Message);
        Assert.Contains("chunks", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros(4).Chunk(0)).Message);
        Assert.Contains("CumSum", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros(4).CumSum(1)).Message);
        Assert.Contains("Flip", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros(4).Flip(-2)).Message);
        var e4 = Assert.Throws<ArgumentException>(() => Tensor.Zeros(4).Diagonal());
        Assert.Contains("Diagonal", e4.Message);
        Assert.Contains("[4]", e4.Message);
        Assert.Contains("Tril", Assert.Throws<ArgumentException>(() => Tensor.Zeros(4).Tril()).Message);
        Assert.Contains("DiagEmbed", Assert.Throws<ArgumentException>(() => Tensor.Scalar(1).DiagEmbed()).Message);
    }
}
