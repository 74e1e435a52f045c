using Vinfer.Tensors.Kernels;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Vinfer.Tensors;

// The affine map of a dense layer as one op: y = x·Wᵀ + b over the last axis, one GEMM forward and two backward,
// instead of a transpose copy, a batched matmul and a broadcast add (three nodes and their temporaries).
public sealed partial class Tensor
{
    /// <summary>
    /// y[..., o] = Σᵢ x[..., i]·W[o, i] + b[o] (PyTorch's <c>F.linear</c>): this tensor is [..., in] with any leading
    /// dimensions, <paramref name="weight"/> is [out, in], <paramref name="bias"/> (optional) is [out]; the result is
    /// [..., out]. The leading dimensions are flattened into the rows of one GEMM.
    /// </summary>
    public Tensor Linear(Tensor weight, Tensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rank != 2)
            throw new ArgumentException($"Linear: weight must be a matrix [out, in], got shape {Shapes.Format(weight.Shape)}.", nameof(weight));
        int outputs = weight.ShapeArray[0], inputs = weight.ShapeArray[1];
        if (Rank == 0 || ShapeArray[^1] != inputs)
            throw new ArgumentException($"Linear: input of shape {Shapes.Format(Shape)} does not end in the weight's input size {inputs} (weight {Shapes.Format(weight.Shape)}).");
        if (bias is not null && (bias.Rank != 1 || bias.ShapeArray[0] != outputs))
            throw new ArgumentException($"Linear: bias must have shape [{outputs}], got {Shapes.Format(bias.Shape)}.", nameof(bias));
        var shape = (int[])ShapeArray.Clone();
        shape[^1] = outputs;
        var r = Uninitialized(shape);
        int rows = inputs == 0 ? Count : Count / inputs;
        if (rows > 0 && outputs > 0)
        {
            var y = r.Span;
            if (bias is null) y.Clear();
            else
            {
                var b = bias.Span;
                for (int row = 0; row < rows; row++) b.CopyTo(y.Slice(row * outputs, outputs));
            }
            if (inputs > 0) Blas.Gemm(false, true, rows, outputs, inputs, 1.0, Span, inputs, weight.Span, inputs, 1.0, y, outputs);
        }
        bool record = bias is null ? Autograd.ShouldRecord(this, weight) : Autograd.ShouldRecord(this, weight, bias);
        return record ? Autograd.Record(r, bias is null ? new LinearBackward(this, weight) : new LinearBackward(this, weight, bias)) : r;
    }

    private sealed class LinearBackward : GradNode
    {
        public LinearBackward(Tensor x, Tensor weight) : base(x, weight) { }
        public LinearBackward(Tensor x, Tensor weight, Tensor bias) : base(x, weight, bias) { }

        public override void Backward(Tensor output, Tensor g)
        {
            var x = Inputs[0]; var w = Inputs[1];
            int outputs = w.ShapeArray[0], inputs = w.ShapeArray[1];
            int rows = outputs == 0 ? 0 : g.Count / outputs;
            if (x.RequiresGrad)
            {
                // dX = G·W
                var dx = Uninitialized(x.ShapeArray);
                if (rows > 0 && inputs > 0)
                {
                    if (outputs > 0) Blas.Gemm(false, false, rows, inputs, outputs, 1.0, g.Span, outputs, w.Span, inputs, 0.0, dx.Span, inputs);
                    else dx.Span.Clear();
                }
                Autograd.AccumulateOwned(x, dx);
            }
            if (w.RequiresGrad) AccumulateProduct(w, true, g, outputs, x, inputs, rows);
            if (Inputs.Length == 3 && Inputs[2].RequiresGrad)
            {
                // db = column sums of G
                var b = Inputs[2];
                var db = Uninitialized(b.ShapeArray);
                var d = db.Span; var gs = g.Span;
                d.Clear();
                for (int row = 0; row < rows; row++) TP.Add(d, gs.Slice(row * outputs, outputs), d);
                Autograd.AccumulateOwned(b, db);
            }
        }
    }

    /// <summary>
    /// Adds op(A)·B into <paramref name="target"/>'s gradient (dW = Gᵀ·X for a weight): straight into an existing
    /// gradient buffer with β = 1, which saves the temporary and the add for a weight that already has a gradient.
    /// </summary>
    internal static void AccumulateProduct(Tensor target, bool transposeA, Tensor a, int aColumns, Tensor b, int bColumns, int inner)
    {
        int m = target.ShapeArray[0], n = target.Count / Math.Max(m, 1);
        if (target.Grad is { } existing && target.IsLeaf)
        {
            if (m > 0 && n > 0 && inner > 0) Blas.Gemm(transposeA, false, m, n, inner, 1.0, a.Span, aColumns, b.Span, bColumns, 1.0, existing.Span, n);
            return;
        }
        var d = Uninitialized(target.ShapeArray);
        if (m > 0 && n > 0 && inner > 0) Blas.Gemm(transposeA, false, m, n, inner, 1.0, a.Span, aColumns, b.Span, bColumns, 0.0, d.Span, n);
        else d.Span.Clear();
        Autograd.AccumulateOwned(target, d);
    }
}
