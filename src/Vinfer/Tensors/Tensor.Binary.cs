using Vinfer.Tensors.Kernels;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Vinfer.Tensors;

// Binary elementwise ops with NumPy broadcasting. Gradients are formed in the output shape; Autograd.Accumulate
// sums them down to each input's shape.
public sealed partial class Tensor
{
    private static Tensor BinaryValue<TKernel>(Tensor a, Tensor b, string op) where TKernel : IBinaryKernel
    {
        if (Shapes.Equal(a.Shape, b.Shape))
        {
            // the common case, straight to the kernel (no broadcast planning)
            var same = Uninitialized(a.ShapeArray);
            TKernel.Apply(a.Span, b.Span, same.Span);
            return same;
        }
        int[] shape = Shapes.Broadcast(a.Shape, b.Shape, op);
        var r = Uninitialized(shape);
        Broadcasting.Binary<TKernel>(a.Span, a.Shape, b.Span, b.Shape, r.Span, shape);
        return r;
    }

    /// <summary>Elementwise sum (broadcasting).</summary>
    public static Tensor operator +(Tensor a, Tensor b)
    {
        var r = BinaryValue<BinaryKernels.Add>(a, b, "add");
        return Autograd.ShouldRecord(a, b) ? Autograd.Record(r, new AddBackward(a, b)) : r;
    }

    /// <summary>Elementwise difference (broadcasting).</summary>
    public static Tensor operator -(Tensor a, Tensor b)
    {
        var r = BinaryValue<BinaryKernels.Subtract>(a, b, "subtract");
        return Autograd.ShouldRecord(a, b) ? Autograd.Record(r, new SubtractBackward(a, b)) : r;
    }

    /// <summary>Elementwise product (broadcasting).</summary>
    public static Tensor operator *(Tensor a, Tensor b)
    {
        var r = BinaryValue<BinaryKernels.Multiply>(a, b, "multiply");
        return Autograd.ShouldRecord(a, b) ? Autograd.Record(r, new MultiplyBackward(a, b)) : r;
    }

    /// <summary>Elementwise quotient (broadcasting).</summary>
    public static Tensor operator /(Tensor a, Tensor b)
    {
        var r = BinaryValue<BinaryKernels.Divide>(a, b, "divide");
        return Autograd.ShouldRecord(a, b) ? Autograd.Record(r, new DivideBackward(a, b)) : r;
    }

    /// <summary>Elementwise power aᵇ (broadcasting). The gradient in b needs a &gt; 0.</summary>
    public Tensor Pow(Tensor exponent)
    {
        var r = BinaryValue<BinaryKernels.Pow>(this, exponent, "pow");
        return Autograd.ShouldRecord(this, exponent) ? Autograd.Record(r, new PowBackward(this, exponent)) : r;
    }

    /// <summary>Elementwise maximum (broadcasting); on ties the gradient goes to this tensor.</summary>
    public Tensor Maximum(Tensor other)
    {
        var r = BinaryValue<BinaryKernels.Maximum>(this, other, "maximum");
        return Autograd.ShouldRecord(this, other) ? Autograd.Record(r, new SelectBackward(this, other)) : r;
    }

    /// <summary>Elementwise minimum (broadcasting); on ties the gradient goes to this tensor.</summary>
    public Tensor Minimum(Tensor other)
    {
        var r = BinaryValue<BinaryKernels.Minimum>(this, other, "minimum");
        return Autograd.ShouldRecord(this, other) ? Autograd.Record(r, new SelectBackward(this, other)) : r;
    }

    /// <summary>1 where this &gt; other, else 0 (no gradient).</summary>
    public Tensor Greater(Tensor other) => BinaryValue<BinaryKernels.Greater>(this, other, "greater");

    /// <summary>1 where this ≥ other, else 0 (no gradient).</summary>
    public Tensor GreaterOrEqual(Tensor other) => BinaryValue<BinaryKernels.GreaterOrEqual>(this, other, "greater_equal");

    /// <summary>1 where this &lt; other, else 0 (no gradient).</summary>
    public Tensor Less(Tensor other) => BinaryValue<BinaryKernels.Greater>(other, this, "less");

    /// <summary>1 where this = other, else 0 (no gradient).</summary>
    public Tensor EqualTo(Tensor other) => BinaryValue<BinaryKernels.EqualTo>(this, other, "equal");

    /// <summary>Elementwise <c>condition ≠ 0 ? ifTrue : ifFalse</c>, broadcasting all three; no gradient to the condition.</summary>
    public static Tensor Where(Tensor condition, Tensor ifTrue, Tensor ifFalse)
    {
        int[] shape = Shapes.Broadcast(Shapes.Broadcast(condition.Shape, ifTrue.Shape, "where"), ifFalse.Shape, "where");
        var r = Uninitialized(shape);
        var c = Uninitialized(shape);
        Broadcasting.Expand(condition.Span, condition.Shape, c.Span, shape);
        Broadcasting.Expand(ifFalse.Span, ifFalse.Shape, r.Span, shape);
        var t = Uninitialized(shape);
        Broadcasting.Expand(ifTrue.Span, ifTrue.Shape, t.Span, shape);
        var rs = r.Span; var cs = c.Span; var ts = t.Span;
        for (int i = 0; i < rs.Length; i++) if (cs[i] != 0) rs[i] = ts[i];
        return Autograd.ShouldRecord(ifTrue, ifFalse) ? Autograd.Record(r, new WhereBackward(c, ifTrue, ifFalse)) : r;
    }

    /// <summary>The gradient, in the output's shape, of a product-like op: g ⊙ other broadcast to g's shape.</summary>
    private static Tensor TimesBroadcast(Tensor g, Tensor other)
    {
        var d = Uninitialized(g.ShapeArray);
        Broadcasting.Binary<BinaryKernels.Multiply>(g.Span, g.Shape, other.Span, other.Shape, d.Span, g.Shape);
        return d;
    }

    private sealed class AddBackward(Tensor a, Tensor b) : GradNode(a, b)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            Autograd.Accumulate(Inputs[0], g);
            Autograd.Accumulate(Inputs[1], g);
        }
    }

    private sealed class SubtractBackward(Tensor a, Tensor b) : GradNode(a, b)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            Autograd.Accumulate(Inputs[0], g);
            if (!Inputs[1].RequiresGrad) return;
            var n = Uninitialized(g.ShapeArray);
            TP.Negate(g.Span, n.Span);
            Autograd.AccumulateOwned(Inputs[1], n);
        }
    }

    private sealed class MultiplyBackward(Tensor a, Tensor b) : GradNode(a, b)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            if (Inputs[0].RequiresGrad) Autograd.AccumulateOwned(Inputs[0], TimesBroadcast(g, Inputs[1]));
            if (Inputs[1].RequiresGrad) Autograd.AccumulateOwned(Inputs[1], TimesBroadcast(g, Inputs[0]));
        }
    }

    private sealed class DivideBackward(Tensor a, Tensor b) : GradNode(a, b)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            // d(a/b)/da = 1/b; d(a/b)/db = −(a/b)/b = −out/b.
            var ga = Uninitialized(g.ShapeArray);
            Broadcasting.Binary<BinaryKernels.Divide>(g.Span, g.Shape, Inputs[1].Span, Inputs[1].Shape, ga.Span, g.Shape);
            if (Inputs[1].RequiresGrad)
            {
                var gb = Uninitialized(g.ShapeArray);
                TP.Multiply(ga.Span, output.Span, gb.Span);
                TP.Negate(gb.Span, gb.Span);
                Autograd.AccumulateOwned(Inputs[1], gb);
            }
            Autograd.AccumulateOwned(Inputs[0], ga);
        }
    }

    private sealed class PowBackward(Tensor a, Tensor b) : GradNode(a, b)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            int[] shape = g.ShapeArray;
            int n = g.Count;
            var av = Uninitialized(shape); Broadcasting.Expand(Inputs[0].Span, Inputs[0].Shape, av.Span, shape);
            var bv = Uninitialized(shape); Broadcasting.Expand(Inputs[1].Span, Inputs[1].Shape, bv.Span, shape);
            var gs = g.Span; var a = av.Span; var b = bv.Span; var y = output.Span;
            if (Inputs[0].RequiresGrad)
            {
                var ga = Uninitialized(shape); var d = ga.Span;
                for (int i = 0; i < n; i++) d[i] = b[i] == 0 ? 0 : gs[i] * b[i] * Math.Pow(a[i], b[i] - 1);
                Autograd.AccumulateOwned(Inputs[0], ga);
            }
            if (Inputs[1].RequiresGrad)
            {
                var gb = Uninitialized(shape); var d = gb.Span;
                for (int i = 0; i < n; i++) d[i] = y[i] == 0 ? 0 : gs[i] * y[i] * Math.Log(a[i]);
                Autograd.AccumulateOwned(Inputs[1], gb);
            }
        }
    }

    /// <summary>Backward of maximum/minimum: the gradient goes to whichever input the output equals (ties: the first).</summary>
    private sealed class SelectBackward(Tensor a, Tensor b) : GradNode(a, b)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            int[] shape = g.ShapeArray;
            var av = Uninitialized(shape); Broadcasting.Expand(Inputs[0].Span, Inputs[0].Shape, av.Span, shape);
            var ga = Uninitialized(shape); var gb = Uninitialized(shape);
            var a = av.Span; var y = output.Span; var gs = g.Span; var da = ga.Span; var db = gb.Span;
            for (int i = 0; i < gs.Length; i++)
            {
                bool first = a[i] == y[i] || double.IsNaN(a[i]);
                da[i] = first ? gs[i] : 0;
                db[i] = first ? 0 : gs[i];
            }
            Autograd.AccumulateOwned(Inputs[0], ga);
            Autograd.AccumulateOwned(Inputs[1], gb);
        }
    }

    private sealed class WhereBackward(Tensor condition, Tensor ifTrue, Tensor ifFalse) : GradNode(ifTrue, ifFalse)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            var gt = Uninitialized(g.ShapeArray); var gf = Uninitialized(g.ShapeArray);
            var c = condition.Span; var gs = g.Span; var dt = gt.Span; var df = gf.Span;
            for (int i = 0; i < gs.Length; i++)
            {
                bool t = c[i] != 0;
                dt[i] = t ? gs[i] : 0;
                df[i] = t ? 0 : gs[i];
            }
            Autograd.AccumulateOwned(Inputs[0], gt);
            Autograd.AccumulateOwned(Inputs[1], gf);
        }
    }
}
