using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Vinfer.Tensors;

// Softmax as one op: attention applies it to [batch, heads, n, n] score tensors, where the three nodes and
// temporaries of exp(x − logsumexp x) would dominate the step.
public sealed partial class Tensor
{
    /// <summary>
    /// softmax over an axis, yᵢ = exp(xᵢ − max x) / Σⱼ exp(xⱼ − max x): shifted by the maximum so it never overflows.
    /// Backward: dx = y ⊙ (g − Σ g ⊙ y).
    /// </summary>
    public Tensor Softmax(int axis)
    {
        int a = Kernels.Shapes.NormalizeAxis(axis, Rank, "Softmax");
        Split(a, out int outer, out int n, out int inner);
        var r = Uninitialized(ShapeArray);
        if (inner == 1) for (int o = 0; o < outer; o++) SoftmaxRow(Span.Slice(o * n, n), r.Span.Slice(o * n, n));
        else
        {
            var row = new double[n]; var y = new double[n];
            var x = Span; var ys = r.Span;
            for (int o = 0; o < outer; o++)
                for (int i = 0; i < inner; i++)
                {
                    int start = o * n * inner + i;
                    for (int j = 0; j < n; j++) row[j] = x[start + j * inner];
                    SoftmaxRow(row, y);
                    for (int j = 0; j < n; j++) ys[start + j * inner] = y[j];
                }
        }
        return Autograd.ShouldRecord(this) ? Autograd.Record(r, new SoftmaxBackward(this, a)) : r;
    }

    /// <summary>y = softmax(x) for one contiguous row (y may alias x).</summary>
    internal static void SoftmaxRow(ReadOnlySpan<double> x, Span<double> y)
    {
        if (x.IsEmpty) return;
        double max = TP.Max(x);
        if (double.IsNegativeInfinity(max)) { y.Fill(double.NaN); return; } // every term is 0: 0/0, as exp(x − logsumexp x) gives
        TP.Subtract(x, max, y);
        TP.Exp(y, y);
        TP.Multiply(y, 1 / TP.Sum(y), y);
    }

    /// <summary>d = y ⊙ (g − Σ g ⊙ y) for one contiguous row, scaled by <paramref name="scale"/> (d may alias g).</summary>
    internal static void SoftmaxRowBackward(ReadOnlySpan<double> y, ReadOnlySpan<double> g, Span<double> d, double scale = 1)
    {
        double dot = TP.Dot(g, y);
        TP.Subtract(g, dot, d);
        TP.Multiply(d, y, d);
        if (scale != 1) TP.Multiply(d, scale, d);
    }

    private sealed class SoftmaxBackward(Tensor x, int axis) : GradNode(x)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            var input = Inputs[0];
            input.Split(axis, out int outer, out int n, out int inner);
            var d = Uninitialized(g.ShapeArray);
            if (inner == 1) for (int o = 0; o < outer; o++) SoftmaxRowBackward(output.Span.Slice(o * n, n), g.Span.Slice(o * n, n), d.Span.Slice(o * n, n));
            else
            {
                var y = new double[n]; var gr = new double[n];
                var ys = output.Span; var gs = g.Span; var ds = d.Span;
                for (int o = 0; o < outer; o++)
                    for (int i = 0; i < inner; i++)
                    {
                        int start = o * n * inner + i;
                        for (int j = 0; j < n; j++) { y[j] = ys[start + j * inner]; gr[j] = gs[start + j * inner]; }
                        SoftmaxRowBackward(y, gr, gr);
                        for (int j = 0; j < n; j++) ds[start + j * inner] = gr[j];
                    }
            }
            Autograd.AccumulateOwned(Inputs[0], d);
        }
    }
}
