using Vinfer.Tensors.Kernels;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Vinfer.Tensors;

// Conv2d with float32 arithmetic inside (the float32 precision of Vinfer.Nn.Conv2d): the same im2col scheme as
// Tensor.Convolution.cs with the input, weight and columns rounded to float32, one SGEMM each way, and float64
// tensors at the op's boundary (output, input/weight/bias gradients).
public sealed partial class Tensor
{
    /// <summary>
    /// <see cref="Conv2d"/> computed in float32 (SGEMM on float32 im2col columns) with float64 input, output and
    /// gradients; results differ from <see cref="Conv2d"/> by float32 rounding (mixed-precision training, Micikevicius
    /// et al. 2018).
    /// </summary>
    internal Tensor Conv2dSingle(Tensor weight, Tensor? bias, int stride, int padding)
    {
        var g = CheckConv2d(this, weight, bias, stride, padding);
        int o = g.O, spread = g.N * g.Pixels;
        var input = RentSingle(Count);
        SingleKernels.Narrow(Span, input);
        var columns = RentSingle(g.Patch * spread);
        Im2Col<float>(input, columns, g);
        var w = RentSingle(weight.Count);
        SingleKernels.Narrow(weight.Span, w);
        var product = RentSingle(o * spread);
        float beta = 0f;
        if (bias is not null)
        {
            // the bias enters the GEMM as its initial value (β = 1), as the dense layers do, instead of a float64 pass
            for (int c = 0; c < o; c++) product.AsSpan(c * spread, spread).Fill((float)bias.Span[c]);
            beta = 1f;
        }
        Blas.Gemm(false, false, o, spread, g.Patch, 1f, w, g.Patch, columns, spread, beta, product, spread);
        var r = Uninitialized([g.N, o, g.OutHeight, g.OutWidth]);
        var ys = r.Span;
        for (int c = 0; c < o; c++)
            for (int n = 0; n < g.N; n++)
                WidenShort(product.AsSpan(c * spread + n * g.Pixels, g.Pixels), ys.Slice((n * o + c) * g.Pixels, g.Pixels));
        bool record = bias is null ? Autograd.ShouldRecord(this, weight) : Autograd.ShouldRecord(this, weight, bias);
        if (!record) return r;
        return Autograd.Record(r, bias is null ? new Conv2dSingleBackward(g, columns, w, this, weight) : new Conv2dSingleBackward(g, columns, w, this, weight, bias));
    }

    // One image's channel is a short run when the layer's output is small (4 pixels in the benchmark's last conv, so
    // 6,400 runs per pass): below a vector's worth a plain loop beats the vector kernel's call and tail handling.
    private const int ShortRun = 16;

    private static void WidenShort(ReadOnlySpan<float> x, Span<double> d)
    {
        if (x.Length >= ShortRun) { SingleKernels.Widen(x, d); return; }
        for (int i = 0; i < x.Length; i++) d[i] = x[i];
    }

    private static void NarrowShort(ReadOnlySpan<double> x, Span<float> d)
    {
        if (x.Length >= ShortRun) { SingleKernels.Narrow(x, d); return; }
        for (int i = 0; i < x.Length; i++) d[i] = (float)x[i];
    }

    /// <summary>A float32 work buffer of exactly this length, pooled by the current scope when one is open.</summary>
    internal static float[] RentSingle(int length) => TensorScope.Current is { } scope ? scope.RentSingle(length) : new float[length];

    private sealed class Conv2dSingleBackward : GradNode
    {
        private readonly ConvGeometry _g;
        private readonly float[] _columns, _weight;

        public Conv2dSingleBackward(ConvGeometry g, float[] columns, float[] w, Tensor x, Tensor weight) : base(x, weight) { _g = g; _columns = columns; _weight = w; }
        public Conv2dSingleBackward(ConvGeometry g, float[] columns, float[] w, Tensor x, Tensor weight, Tensor bias) : base(x, weight, bias) { _g = g; _columns = columns; _weight = w; }

        public override string Name => "Conv2dFloat32";

        public override void Backward(Tensor output, Tensor grad)
        {
            var g = _g;
            var w = Inputs[1];
            int spread = g.N * g.Pixels;
            // the gradient as [O, N·P] in float32, the layout of the forward product
            var gp = RentSingle(g.O * spread);
            var gs = grad.Span;
            for (int n = 0; n < g.N; n++)
                for (int c = 0; c < g.O; c++)
                    NarrowShort(gs.Slice((n * g.O + c) * g.Pixels, g.Pixels), gp.AsSpan(c * spread + n * g.Pixels, g.Pixels));
            if (w.RequiresGrad)
            {
                // dW = G·colsᵀ in float32, added into the float64 gradient
                var dw = RentSingle(w.Count);
                Blas.Gemm(false, true, g.O, g.Patch, spread, 1f, gp, spread, _columns, spread, 0f, dw, g.Patch);
                if (w.Grad is { } existing && w.IsLeaf) SingleKernels.AddWidened(dw, existing.Span);
                else
                {
                    var d = Uninitialized(w.ShapeArray);
                    SingleKernels.Widen(dw, d.Span);
                    Autograd.AccumulateOwned(w, d);
                }
            }
            if (Inputs.Length == 3 && Inputs[2].RequiresGrad)
            {
                // db = row sums of G, summed in float64 (chunks widened on the stack)
                var db = Uninitialized([g.O]);
                var d = db.Span;
                Span<double> chunk = stackalloc double[256];
                for (int c = 0; c < g.O; c++)
                {
                    double sum = 0;
                    for (int start = 0; start < spread; start += chunk.Length)
                    {
                        int length = Math.Min(chunk.Length, spread - start);
                        SingleKernels.Widen(gp.AsSpan(c * spread + start, length), chunk[..length]);
                        sum += TP.Sum<double>(chunk[..length]);
                    }
                    d[c] = sum;
                }
                Autograd.AccumulateOwned(Inputs[2], db);
            }
            if (Inputs[0].RequiresGrad)
            {
                // dcols = Wᵀ·G, scattered back to the pixels they were read from
                var dcols = RentSingle(g.Patch * spread);
                Blas.Gemm(true, false, g.Patch, spread, g.O, 1f, _weight, g.Patch, gp, spread, 0f, dcols, spread);
                var dxs = RentSingle(Inputs[0].Count);
                Col2Im<float>(dcols, dxs, g);
                var dx = Uninitialized(Inputs[0].ShapeArray);
                SingleKernels.Widen(dxs, dx.Span);
                Autograd.AccumulateOwned(Inputs[0], dx);
            }
        }
    }
}
