using Vinfer.Tensors.Kernels;

namespace Vinfer.Tensors;

// Multi-head scaled dot-product attention as one op. Heads are column blocks of the [.., n, width] inputs, read in
// place through the GEMM's leading dimension, so no head is ever permuted into its own tensor; the attention weights
// are the only [heads, nq, nk] temporary, kept for the backward pass.
public sealed partial class Tensor
{
    /// <summary>
    /// Multi-head scaled dot-product attention (Vaswani et al. 2017) with this tensor as the queries: for each head h,
    /// out_h = softmax(Q_h·K_hᵀ / √d_h)·V_h, where head h is the h-th block of d = width / <paramref name="heads"/>
    /// columns of the last axis. Shapes: queries [..., nq, e], <paramref name="key"/> [..., nk, e],
    /// <paramref name="value"/> [..., nk, ev] with equal leading dimensions; the result is [..., nq, ev] (heads
    /// concatenated, before any output projection).
    /// </summary>
    public Tensor Attention(Tensor key, Tensor value, int heads)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (heads <= 0) throw new ArgumentOutOfRangeException(nameof(heads), heads, $"Attention: heads must be positive, got {heads}.");
        if (Rank < 2 || key.Rank != Rank || value.Rank != Rank)
            throw new ArgumentException($"Attention: queries {Shapes.Format(Shape)}, keys {Shapes.Format(key.Shape)} and values {Shapes.Format(value.Shape)} must have one rank ≥ 2.");
        for (int i = 0; i < Rank - 2; i++)
            if (ShapeArray[i] != key.ShapeArray[i] || ShapeArray[i] != value.ShapeArray[i])
                throw new ArgumentException($"Attention: leading dimensions differ: queries {Shapes.Format(Shape)}, keys {Shapes.Format(key.Shape)}, values {Shapes.Format(value.Shape)}.");
        int nq = ShapeArray[^2], e = ShapeArray[^1], nk = key.ShapeArray[^2], ev = value.ShapeArray[^1];
        if (key.ShapeArray[^1] != e) throw new ArgumentException($"Attention: keys {Shapes.Format(key.Shape)} must have the queries' width {e}.", nameof(key));
        if (value.ShapeArray[^2] != nk) throw new ArgumentException($"Attention: values {Shapes.Format(value.Shape)} must have as many rows as the keys ({nk}).", nameof(value));
        if (e % heads != 0 || ev % heads != 0)
            throw new ArgumentException($"Attention: widths {e} (queries, keys) and {ev} (values) must be multiples of heads = {heads}.", nameof(heads));
        int batch = nq == 0 || e == 0 ? Shapes.Count(ShapeArray.AsSpan(0, Rank - 2)) : Count / (nq * e);
        var shape = (int[])ShapeArray.Clone();
        shape[^1] = ev;
        var r = Uninitialized(shape);
        var weights = Uninitialized([batch, heads, nq, nk]);
        var geometry = new AttentionGeometry(batch, heads, nq, nk, e, ev);
        if (nk == 0) r.Span.Clear();
        else
        {
            var q = Span; var k = key.Span; var v = value.Span; var p = weights.Span; var o = r.Span;
            for (int b = 0; b < batch; b++)
                for (int h = 0; h < heads; h++)
                {
                    var ph = p.Slice(geometry.WeightOffset(b, h), nq * nk);
                    if (nq == 0) continue;
                    if (geometry.HeadWidth > 0)
                        Blas.Gemm(false, true, nq, nk, geometry.HeadWidth, geometry.Scale, q[geometry.QueryOffset(b, h)..], e, k[geometry.KeyOffset(b, h)..], e, 0.0, ph, nk);
                    else ph.Clear();
                    for (int i = 0; i < nq; i++) SoftmaxRow(ph.Slice(i * nk, nk), ph.Slice(i * nk, nk));
                    if (geometry.ValueWidth > 0)
                        Blas.Gemm(false, false, nq, geometry.ValueWidth, nk, 1.0, ph, nk, v[geometry.ValueOffset(b, h)..], ev, 0.0, o[geometry.OutputOffset(b, h)..], ev);
                }
        }
        return Autograd.ShouldRecord(this, key, value) ? Autograd.Record(r, new AttentionBackward(this, key, value, weights, geometry)) : r;
    }

    /// <summary>Sizes and offsets of one attention call (heads as column blocks).</summary>
    private readonly record struct AttentionGeometry(int Batch, int Heads, int Nq, int Nk, int Width, int ValueWidthTotal)
    {
        public int HeadWidth => Width / Heads;
        public int ValueWidth => ValueWidthTotal / Heads;
        public double Scale => HeadWidth == 0 ? 1 : 1 / Math.Sqrt(HeadWidth);
        public int QueryOffset(int b, int h) => b * Nq * Width + h * HeadWidth;
        public int KeyOffset(int b, int h) => b * Nk * Width + h * HeadWidth;
        public int ValueOffset(int b, int h) => b * Nk * ValueWidthTotal + h * ValueWidth;
        public int OutputOffset(int b, int h) => b * Nq * ValueWidthTotal + h * ValueWidth;
        public int WeightOffset(int b, int h) => (b * Heads + h) * Nq * Nk;
    }

    private sealed class AttentionBackward(Tensor q, Tensor k, Tensor v, Tensor weights, AttentionGeometry geometry) : GradNode(q, k, v)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            var (batch, heads, nq, nk, e, ev) = geometry;
            int dh = geometry.HeadWidth, dv = geometry.ValueWidth;
            var dq = Uninitialized(Inputs[0].ShapeArray); var dk = Uninitialized(Inputs[1].ShapeArray); var dvT = Uninitialized(Inputs[2].ShapeArray);
            dq.Span.Clear(); dk.Span.Clear(); dvT.Span.Clear();
            var scratch = Uninitialized([nq * nk]);
            var gs = g.Span; var qs = Inputs[0].Span; var ks = Inputs[1].Span; var vs = Inputs[2].Span; var p = weights.Span; var ds = scratch.Span;
            if (nq > 0 && nk > 0)
            {
                for (int b = 0; b < batch; b++)
                    for (int h = 0; h < heads; h++)
                    {
                        var ph = p.Slice(geometry.WeightOffset(b, h), nq * nk);
                        var gh = gs[geometry.OutputOffset(b, h)..];
                        if (dv > 0)
                        {
                            // dV_h = Pᵀ·dO_h; dP = dO_h·V_hᵀ
                            Blas.Gemm(true, false, nk, dv, nq, 1.0, ph, nk, gh, ev, 0.0, dvT.Span[geometry.ValueOffset(b, h)..], ev);
                            Blas.Gemm(false, true, nq, nk, dv, 1.0, gh, ev, vs[geometry.ValueOffset(b, h)..], ev, 0.0, ds, nk);
                        }
                        else ds.Clear();
                        // dS = P ⊙ (dP − rowsum(dP ⊙ P)), times the scale of the scores
                        for (int i = 0; i < nq; i++) SoftmaxRowBackward(ph.Slice(i * nk, nk), ds.Slice(i * nk, nk), ds.Slice(i * nk, nk), geometry.Scale);
                        if (dh > 0)
                        {
                            // dQ_h = dS·K_h; dK_h = dSᵀ·Q_h
                            Blas.Gemm(false, false, nq, dh, nk, 1.0, ds, nk, ks[geometry.KeyOffset(b, h)..], e, 0.0, dq.Span[geometry.QueryOffset(b, h)..], e);
                            Blas.Gemm(true, false, nk, dh, nq, 1.0, ds, nk, qs[geometry.QueryOffset(b, h)..], e, 0.0, dk.Span[geometry.KeyOffset(b, h)..], e);
                        }
                    }
            }
            Autograd.AccumulateOwned(Inputs[0], dq);
            Autograd.AccumulateOwned(Inputs[1], dk);
            Autograd.AccumulateOwned(Inputs[2], dvT);
        }
    }
}
