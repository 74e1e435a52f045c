using Vinfer.Tensors;

using Vinfer.Tensors.Kernels;

namespace Vinfer.Distributions;

/// <summary>
/// out[i] = table[i, index[i]] over the last axis of <c>table</c> (shape [..., K]), with the leading dimensions of
/// table and index broadcast; differentiable in table (the gradient is scattered back). What a categorical
/// log-density needs (PyTorch's <c>gather</c> on the last dimension).
/// </summary>
internal static class LastAxisGather
{
    public static Tensor Apply(Tensor table, Tensor index, string what)
    {
        int k = table.Dim(-1);
        var batch = table.Shape[..^1].ToArray();
        int[] outShape = Shapes.Broadcast(batch, index.Shape, what);
        var full = Shapes.Equal(batch, outShape) ? table : table.Expand([.. outShape, k]);
        var idx = Shapes.Equal(index.Shape, outShape) ? index : index.Expand(outShape);
        var r = Tensor.Uninitialized(outShape);
        var t = full.Span; var ix = idx.Span; var rs = r.Span;
        for (int i = 0; i < rs.Length; i++)
        {
            double v = ix[i];
            int j = (int)v;
            if (j != v || j < 0 || j >= k) throw new ArgumentOutOfRangeException(nameof(index), $"{what}: index {v} at element {i} is not an integer in [0, {k}).");
            rs[i] = t[i * k + j];
        }
        return Autograd.ShouldRecord(full) ? Autograd.Record(r, new GatherBackward(full, idx, k)) : r;
    }

    private sealed class GatherBackward(Tensor table, Tensor index, int k) : GradNode(table)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            var d = Tensor.Zeros(Inputs[0].ShapeArray);
            var ds = d.Span; var ix = index.Span; var gs = g.Span;
            for (int i = 0; i < gs.Length; i++) ds[i * k + (int)ix[i]] += gs[i];
            Autograd.AccumulateOwned(Inputs[0], d);
        }
    }
}
