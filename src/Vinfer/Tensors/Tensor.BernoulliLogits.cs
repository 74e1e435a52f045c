using Vinfer.Tensors.Kernels;
using TP = System.Numerics.Tensors.TensorPrimitives;
using UK = Vinfer.Tensors.Kernels.UnaryKernels;

namespace Vinfer.Tensors;

// The Bernoulli log-likelihood by logits as one op (PyTorch's binary_cross_entropy_with_logits, negated): the VAE's
// likelihood over [k, batch, 784] logits was three ops (a product, a softplus, a difference) and a broadcast, each a
// pass over the logits forward and backward.
public sealed partial class Tensor
{
    /// <summary>
    /// log Bernoulli(<paramref name="value"/> | logits = this) = value·ℓ − softplus(ℓ) elementwise, the softplus stable for any
    /// ℓ; bit-identical to <c>value * this - this.Softplus()</c>. Gradients: g·(value − σ(ℓ)) for the logits, g·ℓ for the
    /// value (summed over the dimensions it is broadcast along). <paramref name="value"/> has this tensor's shape or a
    /// suffix of it (broadcast over leading dimensions, as data [batch, d] against logits [k, batch, d]); any other
    /// broadcast falls back to the composite expression. The result has the broadcast shape.
    /// </summary>
    public Tensor BernoulliLogProb(Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Rank > Rank || !ShapeArray.AsSpan(Rank - value.Rank).SequenceEqual(value.ShapeArray) || value.Count == 0)
            return value * this - Softplus();
        var r = Uninitialized((int[])ShapeArray.Clone());
        var l = Span; var y = r.Span; var v = value.Span;
        UK.Softplus.Apply(l, y);
        Span<double> product = stackalloc double[256];
        int block = v.Length;
        for (int start = 0; start < y.Length; start += block)
            for (int i = 0; i < block; i += product.Length)
            {
                int n = Math.Min(product.Length, block - i);
                var p = product[..n];
                TP.Multiply(v.Slice(i, n), l.Slice(start + i, n), p);
                TP.Subtract(p, y.Slice(start + i, n), y.Slice(start + i, n));
            }
        return Autograd.ShouldRecord(this, value) ? Autograd.Record(r, new BernoulliLogProbBackward(this, value)) : r;
    }

    private sealed class BernoulliLogProbBackward(Tensor logits, Tensor value) : GradNode(logits, value)
    {
        public override string Name => "BernoulliLogProb";

        public override void Backward(Tensor output, Tensor g)
        {
            var logits = Inputs[0]; var value = Inputs[1];
            var l = logits.Span; var v = value.Span; var gs = g.Span;
            int block = v.Length;
            if (logits.RequiresGrad)
            {
                // g·(v − σ(ℓ)), σ computed into the result buffer first
                var d = Uninitialized(logits.ShapeArray);
                var ds = d.Span;
                TP.Sigmoid(l, ds);
                for (int start = 0; start < ds.Length; start += block)
                {
                    var slice = ds.Slice(start, block);
                    TP.Subtract(v, slice, slice);
                    TP.Multiply(slice, gs.Slice(start, block), slice);
                }
                Autograd.AccumulateOwned(logits, d);
            }
            if (value.RequiresGrad)
            {
                var d = Uninitialized(value.ShapeArray);
                var ds = d.Span;
                ds.Clear();
                Span<double> product = stackalloc double[256];
                for (int start = 0; start < gs.Length; start += block)
                    for (int i = 0; i < block; i += product.Length)
                    {
                        int n = Math.Min(product.Length, block - i);
                        var p = product[..n];
                        TP.Multiply(gs.Slice(start + i, n), l.Slice(start + i, n), p);
                        TP.Add(ds.Slice(i, n), p, ds.Slice(i, n));
                    }
                Autograd.AccumulateOwned(value, d);
            }
        }
    }
}
