using Vinfer.Tensors.Kernels;

namespace Vinfer.Tensors;

// Indexing: narrow/slice (contiguous ranges), index-select (take along an axis), PyTorch-style gather and
// scatter-add, index-add, masked fill. Every gather has a scatter-add gradient and vice versa, so repeated indices
// (theta[group[i]] in a hierarchical model) accumulate their gradients.
public sealed partial class Tensor
{
    /// <summary>The elements <paramref name="start"/> … start + length − 1 along <paramref name="axis"/> (a copy; a negative start counts from the end).</summary>
    public Tensor Narrow(int axis, int start, int length)
    {
        axis = Shapes.NormalizeAxis(axis, Rank, "Narrow");
        int n = ShapeArray[axis];
        int s = start < 0 ? start + n : start;
        if (s < 0 || length < 0 || s > n || length > n - s)
            throw new ArgumentOutOfRangeException(nameof(start),
                $"Narrow: start {start} and length {length} do not fit in dimension {axis} of size {n} (shape {Shapes.Format(Shape)}).");
        Split(axis, out int outer, out _, out int inner);
        var shape = (int[])ShapeArray.Clone();
        shape[axis] = length;
        var r = Uninitialized(shape);
        IndexingKernels.Narrow(Span, outer, n, inner, s, length, r.Span);
        return Autograd.ShouldRecord(this) ? Autograd.Record(r, new NarrowBackward(this, axis, s, length)) : r;
    }

    /// <summary>
    /// A rectangular block: one range per leading axis (axes past the given ranges are kept whole), with C# range
    /// syntax, e.g. <c>x.Slice(1..3, ^2..)</c>. A copy; the gradient is scattered back into the block.
    /// </summary>
    public Tensor Slice(params Range[] ranges)
    {
        if (ranges.Length > Rank)
            throw new ArgumentException($"Slice: {ranges.Length} ranges given for a tensor of rank {Rank} (shape {Shapes.Format(Shape)}).", nameof(ranges));
        var r = this;
        for (int axis = 0; axis < ranges.Length; axis++)
        {
            int n = ShapeArray[axis];
            int start = ranges[axis].Start.IsFromEnd ? n - ranges[axis].Start.Value : ranges[axis].Start.Value;
            int end = ranges[axis].End.IsFromEnd ? n - ranges[axis].End.Value : ranges[axis].End.Value;
            if (start < 0 || end > n || start > end)
                throw new ArgumentOutOfRangeException(nameof(ranges),
                    $"Slice: range {ranges[axis]} does not fit in dimension {axis} of size {n} (shape {Shapes.Format(Shape)}).");
            if (start == 0 && end == n) continue;
            r = r.Narrow(axis, start, end - start);
        }
        return ReferenceEquals(r, this) ? Affine(1, 0) : r; // always a copy, like every other slice
    }

    private sealed class NarrowBackward(Tensor x, int axis, int start, int length) : GradNode(x)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            var x = Inputs[0];
            x.Split(axis, out int outer, out int n, out int inner);
            var d = Uninitialized(x.ShapeArray);
            d.Span.Clear();
            IndexingKernels.NarrowAdd(g.Span, outer, n, inner, start, length, d.Span);
            Autograd.AccumulateOwned(x, d);
        }
    }

    /// <summary>
    /// The slices at <paramref name="indices"/> along <paramref name="axis"/> (repeats allowed): the result's
    /// dimension <paramref name="axis"/> has indices.Length entries and entry j is this tensor's entry indices[j].
    /// <c>theta.IndexSelect(0, group)</c> is <c>theta[group[i]]</c>; its gradient scatter-adds, so repeated indices
    /// accumulate. The array is read again by the backward pass: do not change it before then.
    /// </summary>
    public Tensor IndexSelect(int axis, int[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        axis = Shapes.NormalizeAxis(axis, Rank, "IndexSelect");
        CheckIndices(indices, ShapeArray[axis], axis, "IndexSelect");
        var shape = (int[])ShapeArray.Clone();
        shape[axis] = indices.Length;
        return IndexSelectCore(axis, indices, shape);
    }

    /// <summary>
    /// <see cref="IndexSelect(int, int[])"/> with the indices held as integral values in a tensor of any shape: the
    /// result's shape is this shape with dimension <paramref name="axis"/> replaced by the index tensor's shape
    /// (NumPy's <c>take</c>).
    /// </summary>
    public Tensor IndexSelect(int axis, Tensor indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        axis = Shapes.NormalizeAxis(axis, Rank, "IndexSelect");
        var idx = ToIndices(indices, "IndexSelect");
        CheckIndices(idx, ShapeArray[axis], axis, "IndexSelect");
        var shape = new int[Rank - 1 + indices.Rank];
        for (int i = 0; i < axis; i++) shape[i] = ShapeArray[i];
        for (int i = 0; i < indices.Rank; i++) shape[axis + i] = indices.ShapeArray[i];
        for (int i = axis + 1; i < Rank; i++) shape[i - 1 + indices.Rank] = ShapeArray[i];
        return IndexSelectCore(axis, idx, shape);
    }

    private Tensor IndexSelectCore(int axis, int[] indices, int[] shape)
    {
        Split(axis, out int outer, out int n, out int inner);
        var r = Uninitialized(shape);
        IndexingKernels.IndexSelect(Span, outer, n, inner, indices, r.Span);
        return Autograd.ShouldRecord(this) ? Autograd.Record(r, new IndexSelectBackward(this, axis, indices)) : r;
    }

    private sealed class IndexSelectBackward(Tensor x, int axis, int[] indices) : GradNode(x)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            var x = Inputs[0];
            x.Split(axis, out int outer, out int n, out int inner);
            var d = Uninitialized(x.ShapeArray);
            d.Span.Clear();
            IndexingKernels.IndexAdd(g.Span, outer, n, inner, indices, d.Span);
            Autograd.AccumulateOwned(x, d);
        }
    }

    /// <summary>
    /// This tensor plus <paramref name="source"/> added at <paramref name="indices"/> along <paramref name="axis"/>
    /// (PyTorch's index_add; repeated indices accumulate): result[…, indices[j], …] += source[…, j, …].
    /// <paramref name="source"/> has this shape with dimension <paramref name="axis"/> of size indices.Length.
    /// </summary>
    public Tensor IndexAdd(int axis, int[] indices, Tensor source)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(source);
        axis = Shapes.NormalizeAxis(axis, Rank, "IndexAdd");
        CheckIndices(indices, ShapeArray[axis], axis, "IndexAdd");
        var expected = (int[])ShapeArray.Clone();
        expected[axis] = indices.Length;
        if (!Shapes.Equal(source.Shape, expected))
            throw new ArgumentException($"IndexAdd: source has shape {Shapes.Format(source.Shape)}, expected {Shapes.Format(expected)} (this shape {Shapes.Format(Shape)} with dimension {axis} of size {indices.Length}).", nameof(source));
        Split(axis, out int outer, out int n, out int inner);
        var r = Clone();
        IndexingKernels.IndexAdd(source.Span, outer, n, inner, indices, r.Span);
        return Autograd.ShouldRecord(this, source) ? Autograd.Record(r, new IndexAddBackward(this, source, axis, indices)) : r;
    }

    private sealed class IndexAddBackward(Tensor x, Tensor source, int axis, int[] indices) : GradNode(x, source)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            Autograd.Accumulate(Inputs[0], g);
            var src = Inputs[1];
            if (!src.RequiresGrad) return;
            g.Split(axis, out int outer, out int n, out int inner);
            var d = Uninitialized(src.ShapeArray);
            IndexingKernels.IndexSelect(g.Span, outer, n, inner, indices, d.Span);
            Autograd.AccumulateOwned(src, d);
        }
    }

    /// <summary>
    /// PyTorch-style gather: result[p] = this[p with coordinate <paramref name="axis"/> replaced by index[p]].
    /// The index tensor has this rank and holds integral values; on every other axis its size is at most this
    /// tensor's. The result has the index's shape; the gradient scatter-adds.
    /// </summary>
    public Tensor Gather(int axis, Tensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        axis = Shapes.NormalizeAxis(axis, Rank, "Gather");
        CheckGatherShape(this, index, axis, "Gather", "index");
        var idx = ToIndices(index, "Gather");
        CheckIndices(idx, ShapeArray[axis], axis, "Gather");
        var r = Uninitialized(index.ShapeArray);
        IndexingKernels.Gather(Span, ShapeArray, axis, idx, index.ShapeArray, r.Span);
        return Autograd.ShouldRecord(this) ? Autograd.Record(r, new GatherBackward(this, axis, idx, index.ShapeArray)) : r;
    }

    private sealed class GatherBackward(Tensor x, int axis, int[] indices, int[] indexShape) : GradNode(x)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            var x = Inputs[0];
            var d = Uninitialized(x.ShapeArray);
            d.Span.Clear();
            IndexingKernels.ScatterAdd(g.Span, indexShape, axis, indices, d.Span, x.ShapeArray);
            Autograd.AccumulateOwned(x, d);
        }
    }

    /// <summary>
    /// PyTorch-style scatter-add (out of place): this tensor plus, for every position p of <paramref name="index"/>,
    /// <paramref name="source"/>[p] added at p with coordinate <paramref name="axis"/> replaced by index[p]; repeated
    /// targets accumulate. <paramref name="source"/> has the index's shape; the index has this rank and on every other
    /// axis a size at most this tensor's.
    /// </summary>
    public Tensor ScatterAdd(int axis, Tensor index, Tensor source)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(source);
        axis = Shapes.NormalizeAxis(axis, Rank, "ScatterAdd");
        CheckGatherShape(this, index, axis, "ScatterAdd", "index");
        if (!Shapes.Equal(source.Shape, index.Shape))
            throw new ArgumentException($"ScatterAdd: source has shape {Shapes.Format(source.Shape)} but index has shape {Shapes.Format(index.Shape)}; they must match.", nameof(source));
        var idx = ToIndices(index, "ScatterAdd");
        CheckIndices(idx, ShapeArray[axis], axis, "ScatterAdd");
        var r = Clone();
        IndexingKernels.ScatterAdd(source.Span, index.ShapeArray, axis, idx, r.Span, ShapeArray);
        return Autograd.ShouldRecord(this, source) ? Autograd.Record(r, new ScatterAddBackward(this, source, axis, idx, index.ShapeArray)) : r;
    }

    private sealed class ScatterAddBackward(Tensor x, Tensor source, int axis, int[] indices, int[] indexShape) : GradNode(x, source)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            Autograd.Accumulate(Inputs[0], g);
            var src = Inputs[1];
            if (!src.RequiresGrad) return;
            var d = Uninitialized(src.ShapeArray);
            IndexingKernels.Gather(g.Span, g.ShapeArray, axis, indices, indexShape, d.Span);
            Autograd.AccumulateOwned(src, d);
        }
    }

    /// <summary>This tensor with <paramref name="value"/> wherever <paramref name="mask"/> (broadcast) is non-zero; no gradient flows there.</summary>
    public Tensor MaskedFill(Tensor mask, double value)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var shape = Shapes.Broadcast(mask.Shape, Shape, "MaskedFill");
        if (!Shapes.Equal(shape, Shape))
            throw new ArgumentException($"MaskedFill: mask of shape {Shapes.Format(mask.Shape)} does not broadcast to the tensor's shape {Shapes.Format(Shape)}.", nameof(mask));
        return Where(mask, Scalar(value), this);
    }

    private static void CheckGatherShape(Tensor x, Tensor index, int axis, string op, string name)
    {
        if (index.Rank != x.Rank)
            throw new ArgumentException($"{op}: {name} has rank {index.Rank} (shape {Shapes.Format(index.Shape)}) but the tensor has rank {x.Rank} (shape {Shapes.Format(x.Shape)}); they must match.", name);
        for (int d = 0; d < x.Rank; d++)
            if (d != axis && index.ShapeArray[d] > x.ShapeArray[d])
                throw new ArgumentException($"{op}: {name} shape {Shapes.Format(index.Shape)} exceeds the tensor's shape {Shapes.Format(x.Shape)} in dimension {d} ({index.ShapeArray[d]} > {x.ShapeArray[d]}).", name);
    }

    /// <summary>Throws, naming the op, the index value and the dimension's size, when an index is out of [0, size).</summary>
    private static void CheckIndices(ReadOnlySpan<int> indices, int size, int axis, string op)
    {
        for (int i = 0; i < indices.Length; i++)
            if ((uint)indices[i] >= (uint)size)
                throw new ArgumentOutOfRangeException("indices",
                    $"{op}: index {indices[i]} (at position {i}) is out of range for dimension {axis} of size {size}.");
    }

    /// <summary>The values of an index tensor as ints; throws naming the op and the value when one is not an integer.</summary>
    private static int[] ToIndices(Tensor index, string op)
    {
        var s = index.Span;
        var r = new int[s.Length];
        for (int i = 0; i < s.Length; i++)
        {
            double v = s[i];
            if (!(Math.Floor(v) == v) || v < int.MinValue || v > int.MaxValue)
                throw new ArgumentException($"{op}: the index tensor holds {v} at position {i}, not an integer.", "indices");
            r[i] = (int)v;
        }
        return r;
    }
}
