using Vinfer.Tensors.Kernels;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Vinfer.Tensors;

// 2-D convolution by im2col (Chellapilla et al. 2006): each image's receptive fields are unrolled into the columns of
// a [C·kh·kw, Ho·Wo] matrix so that the convolution is one GEMM per image with the [O, C·kh·kw] weight; the backward
// pass is two GEMMs per image and a col2im scatter-add.
public sealed partial class Tensor
{
    /// <summary>
    /// Cross-correlation as PyTorch's <c>F.conv2d</c>: this tensor is [N, C, H, W] (NCHW), <paramref name="weight"/>
    /// [O, C, kh, kw], <paramref name="bias"/> (optional) [O]; zero padding <paramref name="padding"/> on every side and
    /// step <paramref name="stride"/>. The result is [N, O, Ho, Wo] with Ho = (H + 2p − kh)/s + 1 (rounded down).
    /// </summary>
    public Tensor Conv2d(Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (stride <= 0) throw new ArgumentOutOfRangeException(nameof(stride), stride, $"Conv2d: stride must be positive, got {stride}.");
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), padding, $"Conv2d: padding must be ≥ 0, got {padding}.");
        if (Rank != 4) throw new ArgumentException($"Conv2d: input must be [N, C, H, W], got shape {Shapes.Format(Shape)}.");
        if (weight.Rank != 4 || weight.ShapeArray[1] != ShapeArray[1])
            throw new ArgumentException($"Conv2d: weight must be [O, {ShapeArray[1]}, kh, kw] for input {Shapes.Format(Shape)}, got {Shapes.Format(weight.Shape)}.", nameof(weight));
        int o = weight.ShapeArray[0];
        if (bias is not null && (bias.Rank != 1 || bias.Count != o))
            throw new ArgumentException($"Conv2d: bias must be [{o}], got {Shapes.Format(bias.Shape)}.", nameof(bias));
        var g = new ConvGeometry(ShapeArray[0], ShapeArray[1], ShapeArray[2], ShapeArray[3], o, weight.ShapeArray[2], weight.ShapeArray[3], stride, padding);
        if (g.OutHeight <= 0 || g.OutWidth <= 0)
            throw new ArgumentException($"Conv2d: a {g.KernelHeight}×{g.KernelWidth} kernel with padding {padding} does not fit input {Shapes.Format(Shape)}.");
        var columns = Uninitialized([g.N, g.Patch, g.Pixels]);
        Im2Col(Span, columns.Span, g);
        var r = Uninitialized([g.N, o, g.OutHeight, g.OutWidth]);
        Blas.GemmBatched(false, false, o, g.Pixels, g.Patch, 1.0, weight.Span, g.Patch, 0, columns.Span, g.Pixels, (long)g.Patch * g.Pixels,
            0.0, r.Span, g.Pixels, (long)o * g.Pixels, g.N);
        if (bias is not null)
        {
            var ys = r.Span; var b = bias.Span;
            for (int n = 0; n < g.N; n++)
                for (int c = 0; c < o; c++) TP.Add(ys.Slice((n * o + c) * g.Pixels, g.Pixels), b[c], ys.Slice((n * o + c) * g.Pixels, g.Pixels));
        }
        bool record = bias is null ? Autograd.ShouldRecord(this, weight) : Autograd.ShouldRecord(this, weight, bias);
        if (!record) return r;
        return Autograd.Record(r, bias is null ? new Conv2dBackward(g, columns, this, weight) : new Conv2dBackward(g, columns, this, weight, bias));
    }

    private readonly record struct ConvGeometry(int N, int C, int H, int W, int O, int KernelHeight, int KernelWidth, int Stride, int Padding)
    {
        public int OutHeight => (H + 2 * Padding - KernelHeight) / Stride + 1;
        public int OutWidth => (W + 2 * Padding - KernelWidth) / Stride + 1;
        public int Pixels => OutHeight * OutWidth;
        public int Patch => C * KernelHeight * KernelWidth;
    }

    /// <summary>columns[n, (c, i, j), (y, x)] = input[n, c, y·s − p + i, x·s − p + j], zero outside the image.</summary>
    private static void Im2Col(ReadOnlySpan<double> input, Span<double> columns, ConvGeometry g)
    {
        int ho = g.OutHeight, wo = g.OutWidth;
        for (int n = 0; n < g.N; n++)
            for (int c = 0; c < g.C; c++)
            {
                var image = input.Slice((n * g.C + c) * g.H * g.W, g.H * g.W);
                for (int i = 0; i < g.KernelHeight; i++)
                    for (int j = 0; j < g.KernelWidth; j++)
                    {
                        int row = (c * g.KernelHeight + i) * g.KernelWidth + j;
                        var dst = columns.Slice((n * g.Patch + row) * g.Pixels, g.Pixels);
                        for (int y = 0; y < ho; y++)
                        {
                            int iy = y * g.Stride - g.Padding + i;
                            var line = dst.Slice(y * wo, wo);
                            if ((uint)iy >= (uint)g.H) { line.Clear(); continue; }
                            var src = image.Slice(iy * g.W, g.W);
                            int ix = j - g.Padding;
                            if (g.Stride == 1 && ix >= 0 && ix + wo <= g.W) { src.Slice(ix, wo).CopyTo(line); continue; }
                            for (int x = 0; x < wo; x++, ix += g.Stride) line[x] = (uint)ix < (uint)g.W ? src[ix] : 0;
                        }
                    }
            }
    }

    /// <summary>The adjoint of <see cref="Im2Col"/>: adds every column entry back into its input pixel.</summary>
    private static void Col2Im(ReadOnlySpan<double> columns, Span<double> input, ConvGeometry g)
    {
        int ho = g.OutHeight, wo = g.OutWidth;
        input.Clear();
        for (int n = 0; n < g.N; n++)
            for (int c = 0; c < g.C; c++)
            {
                var image = input.Slice((n * g.C + c) * g.H * g.W, g.H * g.W);
                for (int i = 0; i < g.KernelHeight; i++)
                    for (int j = 0; j < g.KernelWidth; j++)
                    {
                        int row = (c * g.KernelHeight + i) * g.KernelWidth + j;
                        var src = columns.Slice((n * g.Patch + row) * g.Pixels, g.Pixels);
                        for (int y = 0; y < ho; y++)
                        {
                            int iy = y * g.Stride - g.Padding + i;
                            if ((uint)iy >= (uint)g.H) continue;
                            var dst = image.Slice(iy * g.W, g.W);
                            var line = src.Slice(y * wo, wo);
                            int ix = j - g.Padding;
                            for (int x = 0; x < wo; x++, ix += g.Stride) if ((uint)ix < (uint)g.W) dst[ix] += line[x];
                        }
                    }
            }
    }

    private sealed class Conv2dBackward : GradNode
    {
        private readonly ConvGeometry _g;
        private readonly Tensor _columns;

        public Conv2dBackward(ConvGeometry g, Tensor columns, Tensor x, Tensor weight) : base(x, weight) { _g = g; _columns = columns; }
        public Conv2dBackward(ConvGeometry g, Tensor columns, Tensor x, Tensor weight, Tensor bias) : base(x, weight, bias) { _g = g; _columns = columns; }

        public override void Backward(Tensor output, Tensor grad)
        {
            var g = _g;
            var w = Inputs[1];
            long itemCols = (long)g.Patch * g.Pixels, itemOut = (long)g.O * g.Pixels;
            if (w.RequiresGrad)
            {
                // dW = Σₙ Gₙ·colsₙᵀ, accumulated image by image into one buffer
                bool direct = w.Grad is not null && w.IsLeaf;
                var dw = direct ? w.Grad! : Uninitialized(w.ShapeArray);
                if (!direct) dw.Span.Clear();
                for (int n = 0; n < g.N; n++)
                    Blas.Gemm(false, true, g.O, g.Patch, g.Pixels, 1.0, grad.Span.Slice((int)(n * itemOut)), g.Pixels,
                        _columns.Span.Slice((int)(n * itemCols)), g.Pixels, 1.0, dw.Span, g.Patch);
                if (!direct) Autograd.AccumulateOwned(w, dw);
            }
            if (Inputs.Length == 3 && Inputs[2].RequiresGrad)
            {
                var db = Uninitialized([g.O]);
                var d = db.Span; var gs = grad.Span;
                for (int c = 0; c < g.O; c++)
                {
                    double s = 0;
                    for (int n = 0; n < g.N; n++) s += TP.Sum(gs.Slice((int)(n * itemOut) + c * g.Pixels, g.Pixels));
                    d[c] = s;
                }
                Autograd.AccumulateOwned(Inputs[2], db);
            }
            if (Inputs[0].RequiresGrad)
            {
                // dcolsₙ = Wᵀ·Gₙ, then scattered back to the pixels they were read from
                var dcols = Uninitialized([g.N, g.Patch, g.Pixels]);
                Blas.GemmBatched(true, false, g.Patch, g.Pixels, g.O, 1.0, w.Span, g.Patch, 0, grad.Span, g.Pixels, itemOut,
                    0.0, dcols.Span, g.Pixels, itemCols, g.N);
                var dx = Uninitialized(Inputs[0].ShapeArray);
                Col2Im(dcols.Span, dx.Span, g);
                Autograd.AccumulateOwned(Inputs[0], dx);
            }
        }
    }
}
