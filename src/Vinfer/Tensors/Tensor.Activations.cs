using UK = Vinfer.Tensors.Kernels.UnaryKernels;

namespace Vinfer.Tensors;

// The activation functions of neural networks that the elementwise ops above do not already provide
// (tanh, sigmoid and softplus live in Tensor.Unary.cs).
public sealed partial class Tensor
{
    /// <summary>max(x, 0) (Nair &amp; Hinton 2010); the gradient at 0 is 0, as in PyTorch.</summary>
    public Tensor Relu() => Unary<UK.Relu>();

    /// <summary>x·σ(x), the SiLU or swish (Elfwing et al. 2018; Ramachandran et al. 2017).</summary>
    public Tensor Silu() => Unary<UK.Silu>();

    /// <summary>x for x &gt; 0, else <paramref name="negativeSlope"/>·x (Maas et al. 2013); PyTorch's default slope.</summary>
    public Tensor LeakyRelu(double negativeSlope = 0.01)
    {
        if (!double.IsFinite(negativeSlope)) throw new ArgumentException($"LeakyRelu: negativeSlope must be finite, got {negativeSlope}.", nameof(negativeSlope));
        var r = Uninitialized(ShapeArray);
        var x = Span; var y = r.Span;
        for (int i = 0; i < y.Length; i++) y[i] = x[i] > 0 ? x[i] : negativeSlope * x[i];
        return Autograd.ShouldRecord(this) ? Autograd.Record(r, new LeakyReluBackward(this, negativeSlope)) : r;
    }

    private sealed class LeakyReluBackward(Tensor x, double slope) : GradNode(x)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            var d = Uninitialized(g.ShapeArray);
            var xs = Inputs[0].Span; var gs = g.Span; var ds = d.Span;
            for (int i = 0; i < ds.Length; i++) ds[i] = xs[i] > 0 ? gs[i] : slope * gs[i];
            Autograd.AccumulateOwned(Inputs[0], d);
        }
    }

    /// <summary>x for x &gt; 0, else α(eˣ − 1) (Clevert et al. 2016), computed with expm1 so it is exact near 0.</summary>
    public Tensor Elu(double alpha = 1.0)
    {
        if (!double.IsFinite(alpha)) throw new ArgumentException($"Elu: alpha must be finite, got {alpha}.", nameof(alpha));
        var r = Uninitialized(ShapeArray);
        var x = Span; var y = r.Span;
        for (int i = 0; i < y.Length; i++) y[i] = x[i] > 0 ? x[i] : alpha * Kernels.SpecialFunctions.Expm1(x[i]);
        return Autograd.ShouldRecord(this) ? Autograd.Record(r, new EluBackward(this, alpha)) : r;
    }

    private sealed class EluBackward(Tensor x, double alpha) : GradNode(x)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            // for x ≤ 0: d/dx α(eˣ − 1) = y + α
            var d = Uninitialized(g.ShapeArray);
            var xs = Inputs[0].Span; var ys = output.Span; var gs = g.Span; var ds = d.Span;
            for (int i = 0; i < ds.Length; i++) ds[i] = xs[i] > 0 ? gs[i] : gs[i] * (ys[i] + alpha);
            Autograd.AccumulateOwned(Inputs[0], d);
        }
    }
}
