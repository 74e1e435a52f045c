namespace Vinfer.Tensors.Kernels;

/// <summary>
/// Runs a binary kernel over two row-major arrays whose shapes broadcast to an output shape. Dimensions are padded on
/// the left, broadcast dimensions get stride 0, and adjacent dimensions that stay contiguous for both operands are
/// merged, so the common cases ([n,d] with [d], [n,d] with [n,1], scalar with anything) become a few long inner
/// loops that the vectorized kernel runs over.
/// </summary>
public static class Broadcasting
{
    /// <summary>destination (shape <paramref name="outShape"/>) = f(x broadcast, y broadcast).</summary>
    public static void Binary<TKernel>(ReadOnlySpan<double> x, ReadOnlySpan<int> xShape, ReadOnlySpan<double> y, ReadOnlySpan<int> yShape,
        Span<double> destination, ReadOnlySpan<int> outShape) where TKernel : IBinaryKernel
    {
        if (x.Length == destination.Length && y.Length == destination.Length && xShape.SequenceEqual(yShape))
        {
            TKernel.Apply(x, y, destination);
            return;
        }
        if (y.Length == 1 && x.Length == destination.Length) { TKernel.Apply(x, y[0], destination); return; }
        if (x.Length == 1 && y.Length == destination.Length) { TKernel.Apply(x[0], y, destination); return; }
        if (destination.Length == 0) return;

        Span<int> dims = stackalloc int[Shapes.MaxRank];
        Span<int> xs = stackalloc int[Shapes.MaxRank];
        Span<int> ys = stackalloc int[Shapes.MaxRank];
        int r = Plan(xShape, yShape, outShape, dims, xs, ys);

        int inner = dims[r - 1];
        int xi = xs[r - 1], yi = ys[r - 1];
        Span<int> idx = stackalloc int[Shapes.MaxRank];
        idx.Clear();
        int outer = destination.Length / inner;
        int xo = 0, yo = 0;
        for (int o = 0; o < outer; o++)
        {
            var d = destination.Slice(o * inner, inner);
            if (xi == 1 && yi == 1) TKernel.Apply(x.Slice(xo, inner), y.Slice(yo, inner), d);
            else if (xi == 1) TKernel.Apply(x.Slice(xo, inner), y[yo], d);
            else if (yi == 1) TKernel.Apply(x[xo], y.Slice(yo, inner), d);
            else throw new InvalidOperationException("Broadcasting: inner dimension broadcast on both operands (shape planning bug).");
            // advance the outer multi-index (dimensions 0 .. r-2)
            for (int k = r - 2; k >= 0; k--)
            {
                idx[k]++;
                xo += xs[k]; yo += ys[k];
                if (idx[k] < dims[k]) break;
                xo -= xs[k] * dims[k]; yo -= ys[k] * dims[k];
                idx[k] = 0;
            }
        }
    }

    /// <summary>
    /// Builds merged dimensions and per-operand strides (0 where broadcast); returns the merged rank (at least 1).
    /// </summary>
    internal static int Plan(ReadOnlySpan<int> xShape, ReadOnlySpan<int> yShape, ReadOnlySpan<int> outShape,
        Span<int> dims, Span<int> xStrides, Span<int> yStrides)
    {
        int rank = outShape.Length;
        if (rank > Shapes.MaxRank) throw new NotSupportedException($"Tensors of rank {rank} exceed the supported maximum of {Shapes.MaxRank}.");
        Span<int> xsFull = stackalloc int[Math.Max(rank, 1)];
        Span<int> ysFull = stackalloc int[Math.Max(rank, 1)];
        OperandStrides(xShape, outShape, xsFull);
        OperandStrides(yShape, outShape, ysFull);

        int r = 0;
        for (int i = 0; i < rank; i++)
        {
            if (outShape[i] == 1) continue; // size-1 dimensions carry no iteration
            if (r > 0 && xStrides[r - 1] == xsFull[i] * outShape[i] && yStrides[r - 1] == ysFull[i] * outShape[i])
            {
                dims[r - 1] *= outShape[i];
                xStrides[r - 1] = xsFull[i];
                yStrides[r - 1] = ysFull[i];
            }
            else
            {
                dims[r] = outShape[i]; xStrides[r] = xsFull[i]; yStrides[r] = ysFull[i];
                r++;
            }
        }
        if (r == 0) { dims[0] = 1; xStrides[0] = 1; yStrides[0] = 1; r = 1; }
        return r;
    }

    /// <summary>Strides of an operand read under the output shape: row-major, with 0 on broadcast (size-1 or missing) dimensions.</summary>
    internal static void OperandStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> outShape, Span<int> strides)
    {
        int rank = outShape.Length, pad = rank - shape.Length;
        int s = 1;
        for (int i = rank - 1; i >= 0; i--)
        {
            int d = i < pad ? 1 : shape[i - pad];
            strides[i] = d == 1 ? 0 : s;
            s *= d;
        }
    }

    /// <summary>Copies <paramref name="x"/> broadcast to <paramref name="outShape"/> into destination.</summary>
    public static void Expand(ReadOnlySpan<double> x, ReadOnlySpan<int> xShape, Span<double> destination, ReadOnlySpan<int> outShape)
        => Binary<SelectLeft>(x, xShape, destination, outShape, destination, outShape);

    private struct SelectLeft : IBinaryKernel
    {
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> d) => x.CopyTo(d);
        public static void Apply(ReadOnlySpan<double> x, double y, Span<double> d) => x.CopyTo(d);
        public static void Apply(double x, ReadOnlySpan<double> y, Span<double> d) => d.Fill(x);
    }
}
