using Vinfer.Tensors.Kernels;

namespace Vinfer.Tensors;

// Ops that run along one axis in order: cumulative sum and reversal.
public sealed partial class Tensor
{
    /// <summary>Running sums along <paramref name="axis"/>: result[…, r, …] = Σ_{s ≤ r} this[…, s, …]. The gradient is the reverse running sum.</summary>
    public Tensor CumSum(int axis)
    {
        axis = Shapes.NormalizeAxis(axis, Rank, "CumSum");
        Split(axis, out int outer, out int n, out int inner);
        var r = Uninitialized(ShapeArray);
        IndexingKernels.CumSum(Span, outer, n, inner, r.Span, reverse: false);
        return Autograd.ShouldRecord(this) ? Autograd.Record(r, new CumSumBackward(this, axis)) : r;
    }

    private sealed class CumSumBackward(Tensor x, int axis) : GradNode(x)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            // y_r = Σ_{s≤r} x_s, so ∂L/∂x_s = Σ_{r≥s} ∂L/∂y_r
            var x = Inputs[0];
            x.Split(axis, out int outer, out int n, out int inner);
            var d = Uninitialized(x.ShapeArray);
            IndexingKernels.CumSum(g.Span, outer, n, inner, d.Span, reverse: true);
            Autograd.AccumulateOwned(x, d);
        }
    }

    /// <summary>The elements in reverse order along <paramref name="axis"/>.</summary>
    public Tensor Flip(int axis)
    {
        axis = Shapes.NormalizeAxis(axis, Rank, "Flip");
        Split(axis, out int outer, out int n, out int inner);
        var r = Uninitialized(ShapeArray);
        IndexingKernels.Flip(Span, outer, n, inner, r.Span);
        return Autograd.ShouldRecord(this) ? Autograd.Record(r, new FlipBackward(this, axis)) : r;
    }

    private sealed class FlipBackward(Tensor x, int axis) : GradNode(x)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            var x = Inputs[0];
            x.Split(axis, out int outer, out int n, out int inner);
            var d = Uninitialized(x.ShapeArray);
            IndexingKernels.Flip(g.Span, outer, n, inner, d.Span);
            Autograd.AccumulateOwned(x, d);
        }
    }
}
