using Vinfer.Tensors.Kernels;
using TP = System.Numerics.Tensors.TensorPrimitives;
using UK = Vinfer.Tensors.Kernels.UnaryKernels;

namespace Vinfer.Tensors;

// Unary elementwise ops, and ops with a scalar operand (which need no broadcast machinery).
public sealed partial class Tensor
{
    private Tensor Unary<TKernel>() where TKernel : struct, IUnaryKernel, UK.IDerivative
    {
        var r = Uninitialized(ShapeArray);
        TKernel.Apply(Span, r.Span);
        return Autograd.ShouldRecord(this) ? Autograd.Record(r, new UnaryBackward<TKernel>(this)) : r;
    }

    private sealed class UnaryBackward<TDerivative>(Tensor x) : GradNode(x) where TDerivative : UK.IDerivative
    {
        public override string Name => typeof(TDerivative).Name;

        public override void Backward(Tensor output, Tensor g)
        {
            var d = Uninitialized(g.ShapeArray);
            TDerivative.Apply(Inputs[0].Span, output.Span, g.Span, d.Span);
            Autograd.AccumulateOwned(Inputs[0], d);
        }
    }

    /// <summary>−x.</summary>
    public Tensor Neg() => Unary<UK.Negate>();
    /// <summary>eˣ.</summary>
    public Tensor Exp() => Unary<UK.Exp>();
    /// <summary>log x.</summary>
    public Tensor Log() => Unary<UK.Log>();
    /// <summary>log(1 + x), exact for tiny x.</summary>
    public Tensor Log1p() => Unary<UK.Log1p>();
    /// <summary>eˣ − 1, exact for tiny x.</summary>
    public Tensor Expm1() => Unary<UK.Expm1>();
    /// <summary>√x.</summary>
    public Tensor Sqrt() => Unary<UK.Sqrt>();
    /// <summary>x².</summary>
    public Tensor Square() => Unary<UK.Square>();
    /// <summary>1/x.</summary>
    public Tensor Reciprocal() => Unary<UK.Reciprocal>();
    /// <summary>|x| (gradient 0 at 0).</summary>
    public Tensor Abs() => Unary<UK.Abs>();
    /// <summary>tanh x.</summary>
    public Tensor Tanh() => Unary<UK.Tanh>();
    /// <summary>The logistic function 1/(1 + e⁻ˣ).</summary>
    public Tensor Sigmoid() => Unary<UK.Sigmoid>();
    /// <summary>log(1 + eˣ), stable for any x.</summary>
    public Tensor Softplus() => Unary<UK.Softplus>();
    /// <summary>log σ(x), stable for any x.</summary>
    public Tensor LogSigmoid() => Unary<UK.LogSigmoid>();
    /// <summary>log Γ(x).</summary>
    public Tensor LogGamma() => Unary<UK.LogGamma>();
    /// <summary>ψ(x), the digamma function.</summary>
    public Tensor Digamma() => Unary<UK.Digamma>();
    /// <summary>The error function.</summary>
    public Tensor Erf() => Unary<UK.Erf>();
    /// <summary>Φ(x), the standard normal CDF.</summary>
    public Tensor NormalCdf() => Unary<UK.NormalCdf>();
    /// <summary>log Φ(x), accurate far into the lower tail.</summary>
    public Tensor LogNormalCdf() => Unary<UK.LogNormalCdf>();
    /// <summary>log I₀(x), the log of the modified Bessel function of order 0, stable for large |x| (<see cref="ModifiedBessel"/>); its derivative is I₁(x)/I₀(x).</summary>
    public Tensor LogBesselI0() => Unary<UK.LogBesselI0>();
    /// <summary>I₁(x)/I₀(x), the derivative of log I₀ (the von Mises mean resultant length at concentration x).</summary>
    public Tensor BesselI1OverI0() => Unary<UK.BesselI1OverI0>();
    /// <summary>sin x.</summary>
    public Tensor Sin() => Unary<UK.Sin>();
    /// <summary>cos x.</summary>
    public Tensor Cos() => Unary<UK.Cos>();

    /// <summary>−x.</summary>
    public static Tensor operator -(Tensor a) => a.Neg();

    // ---- scalar operands: y = scale·x + shift covers +, −, ·, / by a constant ----

    private Tensor Affine(double scale, double shift)
    {
        var r = Uninitialized(ShapeArray);
        if (scale == 1) TP.Add(Span, shift, r.Span);
        else if (shift == 0) TP.Multiply(Span, scale, r.Span);
        else { TP.Multiply(Span, scale, r.Span); TP.Add(r.Span, shift, r.Span); }
        return Autograd.ShouldRecord(this) ? Autograd.Record(r, new AffineBackward(this, scale)) : r;
    }

    private sealed class AffineBackward(Tensor x, double scale) : GradNode(x)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            if (scale == 1) { Autograd.Accumulate(Inputs[0], g); return; }
            var d = Uninitialized(g.ShapeArray);
            TP.Multiply(g.Span, scale, d.Span);
            Autograd.AccumulateOwned(Inputs[0], d);
        }
    }

    /// <summary>x + c.</summary>
    public static Tensor operator +(Tensor a, double c) => a.Affine(1, c);
    /// <summary>c + x.</summary>
    public static Tensor operator +(double c, Tensor a) => a.Affine(1, c);
    /// <summary>x − c.</summary>
    public static Tensor operator -(Tensor a, double c) => a.Affine(1, -c);
    /// <summary>c − x.</summary>
    public static Tensor operator -(double c, Tensor a) => a.Affine(-1, c);
    /// <summary>x · c.</summary>
    public static Tensor operator *(Tensor a, double c) => a.Affine(c, 0);
    /// <summary>c · x.</summary>
    public static Tensor operator *(double c, Tensor a) => a.Affine(c, 0);
    /// <summary>x / c.</summary>
    public static Tensor operator /(Tensor a, double c) => a.Affine(1 / c, 0);
    /// <summary>c / x.</summary>
    public static Tensor operator /(double c, Tensor a) => c == 1 ? a.Reciprocal() : a.Reciprocal().Affine(c, 0);

    /// <summary>xᵖ for a constant exponent.</summary>
    public Tensor Pow(double exponent)
    {
        if (exponent == 1) return Affine(1, 0);
        if (exponent == 2) return Square();
        if (exponent == 0.5) return Sqrt();
        if (exponent == -1) return Reciprocal();
        var r = Uninitialized(ShapeArray);
        BinaryKernels.Pow.Apply(Span, exponent, r.Span);
        return Autograd.ShouldRecord(this) ? Autograd.Record(r, new PowScalarBackward(this, exponent)) : r;
    }

    private sealed class PowScalarBackward(Tensor x, double p) : GradNode(x)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            var d = Uninitialized(g.ShapeArray);
            var xs = Inputs[0].Span; var gs = g.Span; var ds = d.Span;
            for (int i = 0; i < ds.Length; i++) ds[i] = gs[i] * p * Math.Pow(xs[i], p - 1);
            Autograd.AccumulateOwned(Inputs[0], d);
        }
    }

    /// <summary>x clamped to [min, max]; the gradient passes where min ≤ x ≤ max (as in PyTorch).</summary>
    public Tensor Clamp(double min = double.NegativeInfinity, double max = double.PositiveInfinity)
    {
        if (min > max) throw new ArgumentException($"Clamp: min {min} is greater than max {max}.");
        var r = Uninitialized(ShapeArray);
        TP.Clamp(Span, min, max, r.Span);
        return Autograd.ShouldRecord(this) ? Autograd.Record(r, new ClampBackward(this, min, max)) : r;
    }

    private sealed class ClampBackward(Tensor x, double min, double max) : GradNode(x)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            var d = Uninitialized(g.ShapeArray);
            var xs = Inputs[0].Span; var gs = g.Span; var ds = d.Span;
            for (int i = 0; i < ds.Length; i++) ds[i] = xs[i] >= min && xs[i] <= max ? gs[i] : 0;
            Autograd.AccumulateOwned(Inputs[0], d);
        }
    }

    /// <summary>max(x, c).</summary>
    public Tensor Maximum(double c) => Clamp(min: c);

    /// <summary>min(x, c).</summary>
    public Tensor Minimum(double c) => Clamp(max: c);
}
