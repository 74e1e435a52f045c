using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Vinfer.Tensors.Kernels;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Vinfer.Tensors;

// 2-D convolution by im2col (Chellapilla et al. 2006): the receptive fields of all N images are unrolled into the
// columns of one [C·kh·kw, N·Ho·Wo] matrix, so the convolution is a single GEMM with the [O, C·kh·kw] weight (small
// late layers, 2×2 outputs say, would otherwise be N tiny GEMMs), followed by a permute of [O, N, Ho·Wo] to NCHW;
// the backward pass is the inverse permute of the gradient, two GEMMs and a col2im scatter-add.
public sealed partial class Tensor
{
    /// <summary>
    /// Cross-correlation as PyTorch's <c>F.conv2d</c>: this tensor is [N, C, H, W] (NCHW), <paramref name="weight"/>
    /// [O, C, kh, kw], <paramref name="bias"/> (optional) [O]; zero padding <paramref name="padding"/> on every side and
    /// step <paramref name="stride"/>. The result is [N, O, Ho, Wo] with Ho = (H + 2p − kh)/s + 1 (rounded down).
    /// </summary>
    public Tensor Conv2d(Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0)
    {
        var g = CheckConv2d(this, weight, bias, stride, padding);
        int o = g.O;
        var columns = Uninitialized([g.Patch, g.N * g.Pixels]);
        Im2Col(Span, columns.Span, g);
        int spread = g.N * g.Pixels;
        var product = Uninitialized([o, spread]);
        Blas.Gemm(false, false, o, spread, g.Patch, 1.0, weight.Span, g.Patch, columns.Span, spread, 0.0, product.Span, spread);
        var r = Uninitialized([g.N, o, g.OutHeight, g.OutWidth]);
        {
            // [O, N, P] → [N, O, P], adding the bias on the way
            var ys = r.Span; var ps = product.Span;
            for (int c = 0; c < o; c++)
            {
                double b = bias is null ? 0 : bias.Span[c];
                for (int n = 0; n < g.N; n++)
                {
                    var src = ps.Slice(c * spread + n * g.Pixels, g.Pixels);
                    var dst = ys.Slice((n * o + c) * g.Pixels, g.Pixels);
                    if (b == 0) src.CopyTo(dst); else TP.Add(src, b, dst);
                }
            }
        }
        bool record = bias is null ? Autograd.ShouldRecord(this, weight) : Autograd.ShouldRecord(this, weight, bias);
        if (!record) return r;
        return Autograd.Record(r, bias is null ? new Conv2dBackward(g, columns, this, weight) : new Conv2dBackward(g, columns, this, weight, bias));
    }

    private static ConvGeometry CheckConv2d(Tensor input, Tensor weight, Tensor? bias, int stride, int padding)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (stride <= 0) throw new ArgumentOutOfRangeException(nameof(stride), stride, $"Conv2d: stride must be positive, got {stride}.");
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), padding, $"Conv2d: padding must be ≥ 0, got {padding}.");
        if (input.Rank != 4) throw new ArgumentException($"Conv2d: input must be [N, C, H, W], got shape {Shapes.Format(input.Shape)}.");
        if (weight.Rank != 4 || weight.ShapeArray[1] != input.ShapeArray[1])
            throw new ArgumentException($"Conv2d: weight must be [O, {input.ShapeArray[1]}, kh, kw] for input {Shapes.Format(input.Shape)}, got {Shapes.Format(weight.Shape)}.", nameof(weight));
        int o = weight.ShapeArray[0];
        if (bias is not null && (bias.Rank != 1 || bias.Count != o))
            throw new ArgumentException($"Conv2d: bias must be [{o}], got {Shapes.Format(bias.Shape)}.", nameof(bias));
        var g = new ConvGeometry(input.ShapeArray[0], input.ShapeArray[1], input.ShapeArray[2], input.ShapeArray[3], o, weight.ShapeArray[2], weight.ShapeArray[3], stride, padding);
        if (g.OutHeight <= 0 || g.OutWidth <= 0)
            throw new ArgumentException($"Conv2d: a {g.KernelHeight}×{g.KernelWidth} kernel with padding {padding} does not fit input {Shapes.Format(input.Shape)}.");
        return g;
    }

    private readonly record struct ConvGeometry(int N, int C, int H, int W, int O, int KernelHeight, int KernelWidth, int Stride, int Padding)
    {
        public int OutHeight => (H + 2 * Padding - KernelHeight) / Stride + 1;
        public int OutWidth => (W + 2 * Padding - KernelWidth) / Stride + 1;
        public int Pixels => OutHeight * OutWidth;
        public int Patch => C * KernelHeight * KernelWidth;
    }

    /// <summary>columns[(c, i, j), (n, y, x)] = input[n, c, y·s − p + i, x·s − p + j], zero outside the image.</summary>
    private static void Im2Col<T>(ReadOnlySpan<T> input, Span<T> columns, ConvGeometry g) where T : struct, System.Numerics.INumber<T>
    {
        if (g.Padding == 0) { Im2ColUnpadded(input, columns, g); return; }
        int ho = g.OutHeight, wo = g.OutWidth;
        for (int n = 0; n < g.N; n++)
            for (int c = 0; c < g.C; c++)
            {
                var image = input.Slice((n * g.C + c) * g.H * g.W, g.H * g.W);
                for (int i = 0; i < g.KernelHeight; i++)
                    for (int j = 0; j < g.KernelWidth; j++)
                    {
                        int row = (c * g.KernelHeight + i) * g.KernelWidth + j;
                        var dst = columns.Slice(row * g.N * g.Pixels + n * g.Pixels, g.Pixels);
                        for (int y = 0; y < ho; y++)
                        {
                            int iy = y * g.Stride - g.Padding + i;
                            var line = dst.Slice(y * wo, wo);
                            if ((uint)iy >= (uint)g.H) { line.Clear(); continue; }
                            var src = image.Slice(iy * g.W, g.W);
                            int ix = j - g.Padding;
                            if (g.Stride == 1 && ix >= 0 && ix + wo <= g.W) { src.Slice(ix, wo).CopyTo(line); continue; }
                            for (int x = 0; x < wo; x++, ix += g.Stride) line[x] = (uint)ix < (uint)g.W ? src[ix] : T.Zero;
                        }
                    }
            }
    }

    /// <summary>The adjoint of <see cref="Im2Col"/>: adds every column entry back into its input pixel.</summary>
    private static void Col2Im<T>(ReadOnlySpan<T> columns, Span<T> input, ConvGeometry g) where T : struct, System.Numerics.INumber<T>
    {
        input.Clear();
        if (g.Padding == 0) { Col2ImUnpadded(columns, input, g); return; }
        int ho = g.OutHeight, wo = g.OutWidth;
        for (int n = 0; n < g.N; n++)
            for (int c = 0; c < g.C; c++)
            {
                var image = input.Slice((n * g.C + c) * g.H * g.W, g.H * g.W);
                for (int i = 0; i < g.KernelHeight; i++)
                    for (int j = 0; j < g.KernelWidth; j++)
                    {
                        int row = (c * g.KernelHeight + i) * g.KernelWidth + j;
                        var src = columns.Slice(row * g.N * g.Pixels + n * g.Pixels, g.Pixels);
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

    // Without padding every receptive field lies inside the image, so each output pixel p = (y, x) reads input offset
    // (i + y·s)·W + j + x·s = (i·W + j) + offsets[p]: one table per call turns the per-line loops (2 pixels long in a
    // small layer's last rows) into one branch-free loop over all of a kernel tap's pixels, in the same order.
    private static void Im2ColUnpadded<T>(ReadOnlySpan<T> input, Span<T> columns, ConvGeometry g) where T : struct, System.Numerics.INumber<T>
    {
        int pixels = g.Pixels, plane = g.H * g.W;
        if ((long)g.Patch * g.N * pixels > columns.Length || (long)g.N * g.C * plane > input.Length)
            throw new ArgumentException("Tensor.Im2Col: buffers smaller than the geometry.");
        var offsets = PixelOffsets(g);
        ref T source = ref MemoryMarshal.GetReference(input);
        ref T destination = ref MemoryMarshal.GetReference(columns);
        ref int offset = ref MemoryMarshal.GetArrayDataReference(offsets);
        for (int n = 0; n < g.N; n++)
            for (int c = 0; c < g.C; c++)
            {
                ref T image = ref Unsafe.Add(ref source, (n * g.C + c) * plane);
                for (int i = 0; i < g.KernelHeight; i++)
                    for (int j = 0; j < g.KernelWidth; j++)
                    {
                        int row = (c * g.KernelHeight + i) * g.KernelWidth + j;
                        ref T tap = ref Unsafe.Add(ref image, i * g.W + j);
                        ref T line = ref Unsafe.Add(ref destination, (row * g.N + n) * pixels);
                        for (int p = 0; p < pixels; p++) Unsafe.Add(ref line, p) = Unsafe.Add(ref tap, Unsafe.Add(ref offset, p));
                    }
            }
    }

    /// <summary>The adjoint of <see cref="Im2ColUnpadded"/> (input cleared by the caller), adding in the same order as the padded path.</summary>
    private static void Col2ImUnpadded<T>(ReadOnlySpan<T> columns, Span<T> input, ConvGeometry g) where T : struct, System.Numerics.INumber<T>
    {
        int pixels = g.Pixels, plane = g.H * g.W;
        if ((long)g.Patch * g.N * pixels > columns.Length || (long)g.N * g.C * plane > input.Length)
            throw new ArgumentException("Tensor.Col2Im: buffers smaller than the geometry.");
        var offsets = PixelOffsets(g);
        ref T source = ref MemoryMarshal.GetReference(columns);
        ref T destination = ref MemoryMarshal.GetReference(input);
        ref int offset = ref MemoryMarshal.GetArrayDataReference(offsets);
        for (int n = 0; n < g.N; n++)
            for (int c = 0; c < g.C; c++)
            {
                ref T image = ref Unsafe.Add(ref destination, (n * g.C + c) * plane);
                for (int i = 0; i < g.KernelHeight; i++)
                    for (int j = 0; j < g.KernelWidth; j++)
                    {
                        int row = (c * g.KernelHeight + i) * g.KernelWidth + j;
                        ref T tap = ref Unsafe.Add(ref image, i * g.W + j);
                        ref T line = ref Unsafe.Add(ref source, (row * g.N + n) * pixels);
                        for (int p = 0; p < pixels; p++) Unsafe.Add(ref tap, Unsafe.Add(ref offset, p)) += Unsafe.Add(ref line, p);
                    }
            }
    }

    /// <summary>offsets[y·Wo + x] = y·s·W + x·s: where output pixel (y, x)'s receptive field starts in an unpadded image.</summary>
    private static int[] PixelOffsets(ConvGeometry g)
    {
        var offsets = new int[g.Pixels];
        for (int y = 0, p = 0; y < g.OutHeight; y++)
            for (int x = 0; x < g.OutWidth; x++, p++) offsets[p] = y * g.Stride * g.W + x * g.Stride;
        return offsets;
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
            int spread = g.N * g.Pixels;
            // the gradient as [O, N·P], the layout of the forward product
            var gp = Uninitialized([g.O, spread]);
            {
                var gs = grad.Span; var ps = gp.Span;
                for (int n = 0; n < g.N; n++)
                    for (int c = 0; c < g.O; c++)
                        gs.Slice((n * g.O + c) * g.Pixels, g.Pixels).CopyTo(ps.Slice(c * spread + n * g.Pixels, g.Pixels));
            }
            if (w.RequiresGrad)
            {
                // dW = G·colsᵀ over all images at once
                bool direct = w.Grad is not null && w.IsLeaf;
                var dw = direct ? w.Grad! : Uninitialized(w.ShapeArray);
                Blas.Gemm(false, true, g.O, g.Patch, spread, 1.0, gp.Span, spread, _columns.Span, spread, direct ? 1.0 : 0.0, dw.Span, g.Patch);
                if (!direct) Autograd.AccumulateOwned(w, dw);
            }
            if (Inputs.Length == 3 && Inputs[2].RequiresGrad)
            {
                var db = Uninitialized([g.O]);
                var d = db.Span; var ps = gp.Span;
                for (int c = 0; c < g.O; c++) d[c] = TP.Sum(ps.Slice(c * spread, spread));
                Autograd.AccumulateOwned(Inputs[2], db);
            }
            if (Inputs[0].RequiresGrad)
            {
                // dcols = Wᵀ·G, then scattered back to the pixels they were read from
                var dcols = Uninitialized([g.Patch, spread]);
                Blas.Gemm(true, false, g.Patch, spread, g.O, 1.0, w.Span, g.Patch, gp.Span, spread, 0.0, dcols.Span, spread);
                var dx = Uninitialized(Inputs[0].ShapeArray);
                Col2Im(dcols.Span, dx.Span, g);
                Autograd.AccumulateOwned(Inputs[0], dx);
            }
        }
    }
}
