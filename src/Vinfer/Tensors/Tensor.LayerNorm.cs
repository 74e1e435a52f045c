using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Vinfer.Tensors;

// Layer normalization as one op (normalize, scale, shift), with the closed-form backward, instead of the mean,
// variance, square root, divide, multiply and add nodes it would otherwise take.
public sealed partial class Tensor
{
    /// <summary>
    /// Layer normalization over the last axis (Ba et al. 2016): y = (x − mean) / √(var + ε) · weight + bias, with the
    /// biased variance as PyTorch's <c>F.layer_norm</c>. <paramref name="weight"/> and <paramref name="bias"/> have the
    /// last axis's size.
    /// </summary>
    public Tensor LayerNorm(Tensor weight, Tensor bias, double epsilon = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(bias);
        if (!(epsilon >= 0) || double.IsInfinity(epsilon)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "LayerNorm: epsilon must be finite and ≥ 0.");
        if (Rank == 0) throw new ArgumentException("LayerNorm: the input is a scalar; it needs a last axis to normalize.");
        int n = ShapeArray[^1];
        if (weight.Rank != 1 || weight.Count != n || bias.Rank != 1 || bias.Count != n)
            throw new ArgumentException($"LayerNorm: weight {Kernels.Shapes.Format(weight.Shape)} and bias {Kernels.Shapes.Format(bias.Shape)} must both be [{n}] for input {Kernels.Shapes.Format(Shape)}.");
        int rows = n == 0 ? 0 : Count / n;
        var r = Uninitialized(ShapeArray);
        var normalized = Uninitialized(ShapeArray);
        var inverseStd = Uninitialized([rows]);
        var x = Span; var xh = normalized.Span; var y = r.Span; var rs = inverseStd.Span; var w = weight.Span; var b = bias.Span;
        for (int row = 0; row < rows; row++)
        {
            var xr = x.Slice(row * n, n); var hr = xh.Slice(row * n, n);
            double mean = TP.Sum(xr) / n;
            TP.Subtract(xr, mean, hr);
            double variance = TP.Dot(hr, hr) / n;
            double inv = 1 / Math.Sqrt(variance + epsilon);
            rs[row] = inv;
            TP.Multiply(hr, inv, hr);
            TP.FusedMultiplyAdd(hr, w, b, y.Slice(row * n, n));
        }
        return Autograd.ShouldRecord(this, weight, bias) ? Autograd.Record(r, new LayerNormBackward(this, weight, bias, normalized, inverseStd)) : r;
    }

    private sealed class LayerNormBackward(Tensor x, Tensor weight, Tensor bias, Tensor normalized, Tensor inverseStd) : GradNode(x, weight, bias)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            int n = Inputs[1].Count;
            int rows = inverseStd.Count;
            var gs = g.Span; var xh = normalized.Span; var rs = inverseStd.Span; var w = Inputs[1].Span;
            if (Inputs[1].RequiresGrad || Inputs[2].RequiresGrad)
            {
                var dw = Uninitialized([n]); var db = Uninitialized([n]);
                var dws = dw.Span; var dbs = db.Span;
                dws.Clear(); dbs.Clear();
                for (int row = 0; row < rows; row++)
                {
                    var gr = gs.Slice(row * n, n);
                    TP.FusedMultiplyAdd(gr, xh.Slice(row * n, n), dws, dws);
                    TP.Add(dbs, gr, dbs);
                }
                Autograd.AccumulateOwned(Inputs[1], dw);
                Autograd.AccumulateOwned(Inputs[2], db);
            }
            if (!Inputs[0].RequiresGrad) return;
            // with ĝ = g ⊙ weight: dx = (ĝ − mean ĝ − x̂ · mean(ĝ ⊙ x̂)) / σ
            var dx = Uninitialized(g.ShapeArray);
            var ds = dx.Span;
            for (int row = 0; row < rows; row++)
            {
                var d = ds.Slice(row * n, n); var hr = xh.Slice(row * n, n);
                TP.Multiply(gs.Slice(row * n, n), w, d);
                double meanG = TP.Sum(d) / n;
                double meanGx = TP.Dot(d, hr) / n;
                for (int j = 0; j < n; j++) d[j] = (d[j] - meanG - hr[j] * meanGx) * rs[row];
            }
            Autograd.AccumulateOwned(Inputs[0], dx);
        }
    }
}
