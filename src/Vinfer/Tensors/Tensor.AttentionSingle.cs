using Vinfer.Tensors.Kernels;

namespace Vinfer.Tensors;

// Multi-head attention with float32 arithmetic inside (the float32 precision of Vinfer.Nn.MultiheadAttention): the
// scheme of Tensor.Attention.cs — heads as column blocks read in place, one [heads, nq, nk] weight buffer kept for the
// backward pass — on float32 copies of the queries, keys and values, with SGEMM and float32 softmax rows; float64
// tensors at the op's boundary.
public sealed partial class Tensor
{
    /// <summary>
    /// <see cref="Attention"/> computed in float32 with float64 inputs, output and gradients; results differ from it by
    /// float32 rounding (mixed-precision training, Micikevicius et al. 2018).
    /// </summary>
    internal Tensor AttentionSingle(Tensor key, Tensor value, int heads)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (Rank < 2 || key.Rank != Rank || value.Rank != Rank || key.ShapeArray[^1] != ShapeArray[^1] || value.ShapeArray[^2] != key.ShapeArray[^2]
            || heads <= 0 || ShapeArray[^1] % heads != 0 || value.ShapeArray[^1] % heads != 0 || Count == 0 || key.Count == 0 || value.Count == 0)
            return Attention(key, value, heads); // the float64 op validates (one message for every shape error) and handles empty sizes
        for (int i = 0; i < Rank - 2; i++)
            if (ShapeArray[i] != key.ShapeArray[i] || ShapeArray[i] != value.ShapeArray[i]) return Attention(key, value, heads);
        int nq = ShapeArray[^2], e = ShapeArray[^1], nk = key.ShapeArray[^2], ev = value.ShapeArray[^1];
        int batch = Count / (nq * e);
        var geometry = new AttentionGeometry(batch, heads, nq, nk, e, ev);
        float[] q = RentSingle(Count), k = RentSingle(key.Count), v = RentSingle(value.Count);
        SingleKernels.Narrow(Span, q);
        SingleKernels.Narrow(key.Span, k);
        SingleKernels.Narrow(value.Span, v);
        var p = RentSingle(batch * heads * nq * nk);
        var o = RentSingle(batch * nq * ev);
        float scale = (float)geometry.Scale;
        for (int b = 0; b < batch; b++)
            for (int h = 0; h < heads; h++)
            {
                var ph = p.AsSpan(geometry.WeightOffset(b, h), nq * nk);
                Blas.Gemm(false, true, nq, nk, geometry.HeadWidth, scale, q.AsSpan(geometry.QueryOffset(b, h)), e, k.AsSpan(geometry.KeyOffset(b, h)), e, 0f, ph, nk);
                for (int i = 0; i < nq; i++) SingleKernels.SoftmaxRow(ph.Slice(i * nk, nk));
                Blas.Gemm(false, false, nq, geometry.ValueWidth, nk, 1f, ph, nk, v.AsSpan(geometry.ValueOffset(b, h)), ev, 0f, o.AsSpan(geometry.OutputOffset(b, h)), ev);
            }
        var shape = (int[])ShapeArray.Clone();
        shape[^1] = ev;
        var r = Uninitialized(shape);
        SingleKernels.Widen(o, r.Span);
        return Autograd.ShouldRecord(this, key, value) ? Autograd.Record(r, new AttentionSingleBackward(this, key, value, q, k, v, p, geometry)) : r;
    }

    private sealed class AttentionSingleBackward(Tensor query, Tensor key, Tensor value, float[] q, float[] k, float[] v, float[] p,
        AttentionGeometry geometry) : GradNode(query, key, value)
    {
        public override string Name => "AttentionFloat32";

        public override void Backward(Tensor output, Tensor gradOutput)
        {
            var (batch, heads, nq, nk, e, ev) = geometry;
            int dh = geometry.HeadWidth, dv = geometry.ValueWidth;
            var g = RentSingle(gradOutput.Count);
            SingleKernels.Narrow(gradOutput.Span, g);
            float[] dq = RentSingle(q.Length), dk = RentSingle(k.Length), dvs = RentSingle(v.Length), ds = RentSingle(nq * nk);
            float scale = (float)geometry.Scale;
            for (int b = 0; b < batch; b++)
                for (int h = 0; h < heads; h++)
                {
                    var ph = p.AsSpan(geometry.WeightOffset(b, h), nq * nk);
                    var gh = g.AsSpan(geometry.OutputOffset(b, h));
                    // dV_h = Pᵀ·dO_h; dP = dO_h·V_hᵀ
                    Blas.Gemm(true, false, nk, dv, nq, 1f, ph, nk, gh, ev, 0f, dvs.AsSpan(geometry.ValueOffset(b, h)), ev);
                    Blas.Gemm(false, true, nq, nk, dv, 1f, gh, ev, v.AsSpan(geometry.ValueOffset(b, h)), ev, 0f, ds, nk);
                    // dS = scale·P ⊙ (dP − rowsum(dP ⊙ P))
                    for (int i = 0; i < nq; i++) SingleKernels.SoftmaxRowBackward(ph.Slice(i * nk, nk), ds.AsSpan(i * nk, nk), scale);
                    // dQ_h = dS·K_h; dK_h = dSᵀ·Q_h
                    Blas.Gemm(false, false, nq, dh, nk, 1f, ds, nk, k.AsSpan(geometry.KeyOffset(b, h)), e, 0f, dq.AsSpan(geometry.QueryOffset(b, h)), e);
                    Blas.Gemm(true, false, nk, dh, nq, 1f, ds, nk, q.AsSpan(geometry.QueryOffset(b, h)), e, 0f, dk.AsSpan(geometry.KeyOffset(b, h)), e);
                }
            Accumulate(Inputs[0], dq);
            Accumulate(Inputs[1], dk);
            Accumulate(Inputs[2], dvs);
        }

        private static void Accumulate(Tensor input, float[] gradient)
        {
            if (!input.RequiresGrad) return;
            var d = Uninitialized(input.ShapeArray);
            SingleKernels.Widen(gradient.AsSpan(0, d.Count), d.Span);
            Autograd.AccumulateOwned(input, d);
        }
    }
}
