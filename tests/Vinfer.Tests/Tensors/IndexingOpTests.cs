using Vinfer.Tensors;
using static Vinfer.Tests.Tensors.TensorTestData;

namespace Vinfer.Tests.Tensors;

/// <summary>Values and bad inputs of the indexing ops (their gradients run through <see cref="OpCoverageTests"/>).</summary>
public class IndexingOpTests
{
    [Fact]
    public void NarrowAndSliceValuesMatchLoops()
    {
        var x = Uniform(21, -1, 1, 3, 4, 5);
        var n = x.Narrow(1, 1, 2);
        Assert.Equal(new[] { 3, 2, 5 }, n.Shape.ToArray());
        var s = x.Slice(1.., ..^1, 2..4);
        Assert.Equal(new[] { 2, 3, 2 }, s.Shape.ToArray());
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 2; j++)
                for (int k = 0; k < 5; k++) Assert.Equal(x[i, j + 1, k], n[i, j, k]);
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 2; k++) Assert.Equal(x[i + 1, j, k + 2], s[i, j, k]);
        Assert.Equal(x[2, 3, 4], x.Narrow(-1, -1, 1)[2, 3, 0]);
    }

    [Fact]
    public void IndexSelectIsTakeAndItsGradientCountsRepeats()
    {
        // theta[group[i]]: the gradient of Σ_i w_i θ[g_i] is Σ_{i: g_i = k} w_i for each k
        var theta = Tensor.Parameter([10.0, 20.0, 30.0]);
        int[] group = [2, 0, 2, 2, 1, 0];
        var w = Tensor.FromArray([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        var picked = theta.IndexSelect(0, group);
        Assert.Equal([30.0, 10, 30, 30, 20, 10], picked.ToArray());
        (picked * w).Sum().Backward();
        Assert.Equal([2.0 + 6, 5, 1.0 + 3 + 4], theta.Grad!.ToArray());

        var m = Uniform(22, -1, 1, 3, 4);
        var cols = m.IndexSelect(1, Tensor.FromArray([3.0, 0, 3, 1, 2, 2], 2, 3));
        Assert.Equal(new[] { 3, 2, 3 }, cols.Shape.ToArray());
        Assert.Equal(m[1, 3], cols[1, 0, 0]);
        Assert.Equal(m[2, 1], cols[2, 1, 0]);
        Assert.Equal(m[0, 2], cols[0, 1, 2]);
    }

    [Fact]
    public void GatherAndScatterAddMatchPyTorchSemantics()
    {
        var x = Tensor.FromArray([1.0, 2, 3, 4, 5, 6], 2, 3);
        // torch.gather(x, 1, [[2, 0], [1, 1]]) = [[3, 1], [5, 5]]
        var g = x.Gather(1, Tensor.FromArray([2.0, 0, 1, 1], 2, 2));
        Assert.Equal([3.0, 1, 5, 5], g.ToArray());
        // torch.gather(x, 0, [[1, 0, 1]]) = [[4, 2, 6]]
        Assert.Equal([4.0, 2, 6], x.Gather(0, Tensor.FromArray([1.0, 0, 1], 1, 3)).ToArray());
        // zeros(2,3).scatter_add(1, [[0, 0], [2, 1]], [[1, 2], [3, 4]]) = [[3, 0, 0], [0, 4, 3]]
        var s = Tensor.Zeros(2, 3).ScatterAdd(1, Tensor.FromArray([0.0, 0, 2, 1], 2, 2), Tensor.FromArray([1.0, 2, 3, 4], 2, 2));
        Assert.Equal([3.0, 0, 0, 0, 4, 3], s.ToArray());
        // index_add along axis 0 with a repeat
        var ia = Tensor.Zeros(3, 2).IndexAdd(0, [2, 2, 0], Tensor.FromArray([1.0, 2, 3, 4, 5, 6], 3, 2));
        Assert.Equal([5.0, 6, 0, 0, 4, 6], ia.ToArray());
    }

    [Fact]
    public void MaskedFillReplacesAndBlocksGradient()
    {
        var x = Tensor.Parameter([1.0, 2, 3, 4], 2, 2);
        var y = x.MaskedFill(Tensor.FromArray([1.0, 0]), -1);
        Assert.Equal([-1.0, 2, -1, 4], y.ToArray());
        y.Sum().Backward();
        Assert.Equal([0.0, 1, 0, 1], x.Grad!.ToArray());
    }

    [Fact]
    public void OutOfRangeIndicesNameTheValueAndTheDimension()
    {
        var x = Tensor.Zeros(4, 5);
        var e1 = Assert.Throws<ArgumentOutOfRangeException>(() => x.IndexSelect(1, [0, 5]));
        Assert.Contains("IndexSelect", e1.Message);
        Assert.Contains("index 5", e1.Message);
        Assert.Contains("size 5", e1.Message);
        var e2 = Assert.Throws<ArgumentOutOfRangeException>(() => x.IndexSelect(0, [-1]));
        Assert.Contains("index -1", e2.Message);
        var e3 = Assert.Throws<ArgumentException>(() => x.IndexSelect(0, Tensor.FromArray([0.5])));
        Assert.Contains("0.5", e3.Message);
        Assert.Contains("not an integer", e3.Message);
        var e4 = Assert.Throws<ArgumentOutOfRangeException>(() => x.Gather(0, Tensor.FromArray([4.0, 0], 1, 2)));
        Assert.Contains("Gather", e4.Message);
        Assert.Contains("index 4", e4.Message);
        Assert.Contains("size 4", e4.Message);
        var e5 = Assert.Throws<ArgumentException>(() => x.Gather(0, Tensor.FromArray([0.0, 0])));
        Assert.Contains("rank", e5.Message);
        var e6 = Assert.Throws<ArgumentException>(() => x.Gather(0, Tensor.Zeros(1, 6)));
        Assert.Contains("[1, 6]", e6.Message);
        Assert.Contains("[4, 5]", e6.Message);
        var e7 = Assert.Throws<ArgumentException>(() => x.ScatterAdd(0, Tensor.Zeros(1, 2), Tensor.Zeros(2, 2)));
        Assert.Contains("ScatterAdd", e7.Message);
        Assert.Contains("[2, 2]", e7.Message);
        var e8 = Assert.Throws<ArgumentException>(() => x.IndexAdd(0, [1], Tensor.Zeros(2, 5)));
        Assert.Contains("[1, 5]", e8.Message);
        var e9 = Assert.Throws<ArgumentOutOfRangeException>(() => x.Narrow(1, 3, 3));
        Assert.Contains("Narrow", e9.Message);
        Assert.Contains("size 5", e9.Message);
        var e10 = Assert.Throws<ArgumentOutOfRangeException>(() => x.Slice(.., 2..7));
        Assert.Contains("Slice", e10.Message);
        Assert.Contains("dimension 1 of size 5", e10.Message);
        Assert.Throws<ArgumentException>(() => x.Slice(.., .., ..));
    }

    [Fact]
    public void HierarchicalGatherStepIsAllocationLightInAScope()
    {
        // the per-step pattern of a hierarchical model: gather group effects, combine, reduce, backward
        var theta = Tensor.Parameter(new double[50]);
        var group = new int[2000];
        for (int i = 0; i < group.Length; i++) group[i] = (i * 7) % 50;
        var y = Uniform(23, -1, 1, 2000);
        void Step()
        {
            using var scope = new TensorScope();
            (theta.IndexSelect(0, group) - y).Square().Sum().Backward();
            theta.ZeroGrad();
        }
        for (int i = 0; i < 5; i++) Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++) Step();
        long perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / 50;
        Assert.True(perStep < 4096, $"{perStep} bytes per step");
        // and the gradient is right: d/dθ_k Σ (θ_g − y)² = 2 Σ_{g_i = k} (θ_k − y_i)
        (theta.IndexSelect(0, group) - y).Square().Sum().Backward();
        double expected = 0;
        for (int i = 0; i < group.Length; i++) if (group[i] == 3) expected += 2 * (0 - y[i]);
        Assert.Equal(expected, theta.Grad![3], 10);
    }
}
