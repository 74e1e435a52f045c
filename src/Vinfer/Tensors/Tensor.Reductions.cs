using Vinfer.Tensors.Kernels;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Vinfer.Tensors;

// Reductions over axes, and the softmax family built from them.
public sealed partial class Tensor
{
    /// <summary>Splits the shape around <paramref name="axis"/> into [outer, n, inner].</summary>
    private void Split(int axis, out int outer, out int n, out int inner)
    {
        outer = 1; inner = 1;
        for (int i = 0; i < axis; i++) outer *= ShapeArray[i];
        n = ShapeArray[axis];
        for (int i = axis + 1; i < Rank; i++) inner *= ShapeArray[i];
    }

    private int[] ReducedShape(int axis, bool keepDim)
    {
        if (keepDim)
        {
            var s = (int[])ShapeArray.Clone();
            s[axis] = 1;
            return s;
        }
        var r = new int[Rank - 1];
        for (int i = 0, j = 0; i < Rank; i++) if (i != axis) r[j++] = ShapeArray[i];
        return r;
    }

    /// <summary>The sum of all elements, as a scalar tensor.</summary>
    public Tensor Sum()
    {
        var r = Uninitialized(Array.Empty<int>());
        r.Buffer[0] = TP.Sum(Span);
        return Autograd.ShouldRecord(this) ? Autograd.Record(r, new ExpandBackward(this)) : r;
    }

    /// <summary>The sum over one axis.</summary>
    public Tensor Sum(int axis, bool keepDim = false)
    {
        axis = Shapes.NormalizeAxis(axis, Rank, "Sum");
        Split(axis, out int outer, out int n, out int inner);
        var r = Uninitialized(ReducedShape(axis, keepDim));
        ReductionKernels.SumAxis(Span, outer, n, inner, r.Span);
        return Autograd.ShouldRecord(this) ? Autograd.Record(r, new ExpandBackward(this, KeepDimShape(this, axis))) : r;
    }

    /// <summary>The sum over several axes.</summary>
    public Tensor Sum(int[] axes, bool keepDim = false)
    {
        var sorted = NormalizeAxes(axes, "Sum");
        var r = this;
        for (int i = sorted.Length - 1; i >= 0; i--) r = r.Sum(sorted[i], keepDim: true);
        return keepDim ? r : r.Reshape(RemoveAxes(sorted));
    }

    /// <summary>The mean of all elements.</summary>
    public Tensor Mean() => Sum() * (1.0 / Count);

    /// <summary>The mean over one axis.</summary>
    public Tensor Mean(int axis, bool keepDim = false)
    {
        int a = Shapes.NormalizeAxis(axis, Rank, "Mean");
        return Sum(a, keepDim) * (1.0 / ShapeArray[a]);
    }

    /// <summary>The largest element; the gradient is shared evenly among ties.</summary>
    public Tensor Max()
    {
        if (Count == 0) throw new InvalidOperationException("Max: the tensor is empty.");
        return Reshape(Count).Max(0);
    }

    /// <summary>The maximum over one axis; the gradient is shared evenly among ties.</summary>
    public Tensor Max(int axis, bool keepDim = false)
    {
        axis = Shapes.NormalizeAxis(axis, Rank, "Max");
        Split(axis, out int outer, out int n, out int inner);
        var r = Uninitialized(ReducedShape(axis, keepDim));
        ReductionKernels.MaxAxis(Span, outer, n, inner, r.Span);
        return Autograd.ShouldRecord(this) ? Autograd.Record(r, new MaxBackward(this, axis)) : r;
    }

    /// <summary>The minimum over one axis.</summary>
    public Tensor Min(int axis, bool keepDim = false) => Neg().Max(axis, keepDim).Neg();

    /// <summary>log Σ exp over one axis, stable for any magnitudes (±1e3 and ±∞ included).</summary>
    public Tensor LogSumExp(int axis, bool keepDim = false)
    {
        axis = Shapes.NormalizeAxis(axis, Rank, "LogSumExp");
        Split(axis, out int outer, out int n, out int inner);
        var r = Uninitialized(ReducedShape(axis, keepDim));
        var scratch = BufferPool<double>.Current.Rent(inner == 1 ? n : 2 * inner);
        ReductionKernels.LogSumExpAxis(Span, outer, n, inner, r.Span, scratch);
        BufferPool<double>.Current.Return(scratch);
        return Autograd.ShouldRecord(this) ? Autograd.Record(r, new LogSumExpBackward(this, axis)) : r;
    }

    /// <summary>log Σ exp over all elements.</summary>
    public Tensor LogSumExp() => Reshape(Count).LogSumExp(0);

    /// <summary>log softmax over an axis: x − logsumexp(x).</summary>
    public Tensor LogSoftmax(int axis) => this - LogSumExp(axis, keepDim: true);


    private int[] NormalizeAxes(int[] axes, string op)
    {
        var s = new int[axes.Length];
        for (int i = 0; i < axes.Length; i++) s[i] = Shapes.NormalizeAxis(axes[i], Rank, op);
        Array.Sort(s);
        for (int i = 1; i < s.Length; i++)
            if (s[i] == s[i - 1]) throw new ArgumentException($"{op}: axis {s[i]} is listed twice.");
        return s;
    }

    private int[] RemoveAxes(int[] sortedAxes)
    {
        var r = new int[Rank - sortedAxes.Length];
        for (int i = 0, j = 0; i < Rank; i++) if (Array.BinarySearch(sortedAxes, i) < 0) r[j++] = ShapeArray[i];
        return r;
    }

    /// <summary>Reads a reduced tensor (keepDim or not) under the keep-dim shape of <paramref name="input"/> reduced at axis.</summary>
    private static int[] KeepDimShape(Tensor input, int axis)
    {
        var s = (int[])input.ShapeArray.Clone();
        s[axis] = 1;
        return s;
    }

    /// <summary>
    /// Backward of sum-like reductions: the output gradient, read under the keep-dim shape (same elements, row-major),
    /// broadcast back over the reduced axes.
    /// </summary>
    private sealed class ExpandBackward(Tensor x, int[]? keepDimShape = null) : GradNode(x)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            var x = Inputs[0];
            var d = Uninitialized(x.ShapeArray);
            Broadcasting.Expand(g.Span, keepDimShape ?? g.ShapeArray, d.Span, x.Shape);
            Autograd.AccumulateOwned(x, d);
        }
    }

    private sealed class MaxBackward(Tensor x, int axis) : GradNode(x)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            var x = Inputs[0];
            int[] keep = KeepDimShape(x, axis);
            var m = Uninitialized(x.ShapeArray); Broadcasting.Expand(output.Span, keep, m.Span, x.Shape);
            var mask = Uninitialized(x.ShapeArray);
            var xs = x.Span; var ms = m.Span; var mk = mask.Span;
            for (int i = 0; i < xs.Length; i++) mk[i] = xs[i] == ms[i] ? 1 : 0;
            x.Split(axis, out int outer, out int n, out int inner);
            var counts = Uninitialized(keep);
            ReductionKernels.SumAxis(mk, outer, n, inner, counts.Span);
            var share = Uninitialized(keep);
            TP.Divide(g.Span, counts.Span, share.Span);
            var d = Uninitialized(x.ShapeArray);
            Broadcasting.Expand(share.Span, keep, d.Span, x.Shape);
            TP.Multiply(d.Span, mk, d.Span);
            Autograd.AccumulateOwned(x, d);
        }
    }

    private sealed class LogSumExpBackward(Tensor x, int axis) : GradNode(x)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            // d lse / dx_r = exp(x_r − lse)
            var x = Inputs[0];
            int[] keep = KeepDimShape(x, axis);
            var d = Uninitialized(x.ShapeArray);
            Broadcasting.Binary<BinaryKernels.Subtract>(x.Span, x.Shape, output.Span, keep, d.Span, x.Shape);
            TP.Exp(d.Span, d.Span);
            var ds = d.Span; var xs = x.Span;
            for (int i = 0; i < ds.Length; i++) if (double.IsNaN(ds[i]) && double.IsNegativeInfinity(xs[i])) ds[i] = 0;
            var ge = Uninitialized(x.ShapeArray);
            Broadcasting.Expand(g.Span, keep, ge.Span, x.Shape);
            TP.Multiply(d.Span, ge.Span, d.Span);
            Autograd.AccumulateOwned(x, d);
        }
    }
}
