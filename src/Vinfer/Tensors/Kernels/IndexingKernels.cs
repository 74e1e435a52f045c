using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Vinfer.Tensors.Kernels;

/// <summary>
/// Copy kernels for slicing, gathering and scattering along one axis of a row-major array viewed as
/// [outer, n, inner] (outer = product of the dimensions before the axis, inner = product of those after it).
/// Each moves whole contiguous rows of <c>inner</c> elements, so the inner loop is a vectorized copy or add.
/// Indices are assumed validated by the caller (the tensor op): kernels never throw inside their loops.
/// </summary>
public static class IndexingKernels
{
    /// <summary>dst[o, r, i] = src[o, start + r, i] for r &lt; length (dst is [outer, length, inner]).</summary>
    public static void Narrow(ReadOnlySpan<double> src, int outer, int n, int inner, int start, int length, Span<double> dst)
    {
        int block = length * inner;
        if (block == 0) return;
        for (int o = 0; o < outer; o++)
            src.Slice((o * n + start) * inner, block).CopyTo(dst.Slice(o * block, block));
    }

    /// <summary>whole[o, start + r, i] += part[o, r, i]: the adjoint of <see cref="Narrow"/>.</summary>
    public static void NarrowAdd(ReadOnlySpan<double> part, int outer, int n, int inner, int start, int length, Span<double> whole)
    {
        int block = length * inner;
        if (block == 0) return;
        for (int o = 0; o < outer; o++)
        {
            var w = whole.Slice((o * n + start) * inner, block);
            TP.Add(w, part.Slice(o * block, block), w);
        }
    }

    /// <summary>dst[o, j, i] = src[o, index[j], i] (dst is [outer, index.Length, inner]).</summary>
    public static void IndexSelect(ReadOnlySpan<double> src, int outer, int n, int inner, ReadOnlySpan<int> index, Span<double> dst)
    {
        int k = index.Length;
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++)
            {
                var row = src.Slice(o * n, n);
                var d = dst.Slice(o * k, k);
                for (int j = 0; j < k; j++) d[j] = row[index[j]];
            }
            return;
        }
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < k; j++)
                src.Slice((o * n + index[j]) * inner, inner).CopyTo(dst.Slice((o * k + j) * inner, inner));
    }

    /// <summary>
    /// dst[o, index[j], i] += src[o, j, i]: the adjoint of <see cref="IndexSelect"/>; repeated indices accumulate
    /// (dst is [outer, n, inner], src is [outer, index.Length, inner]).
    /// </summary>
    public static void IndexAdd(ReadOnlySpan<double> src, int outer, int n, int inner, ReadOnlySpan<int> index, Span<double> dst)
    {
        int k = index.Length;
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++)
            {
                var s = src.Slice(o * k, k);
                var row = dst.Slice(o * n, n);
                for (int j = 0; j < k; j++) row[index[j]] += s[j];
            }
            return;
        }
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < k; j++)
            {
                var d = dst.Slice((o * n + index[j]) * inner, inner);
                TP.Add(d, src.Slice((o * k + j) * inner, inner), d);
            }
    }

    /// <summary>
    /// PyTorch-style gather: for every position p of the index array (shape <paramref name="indexShape"/>, same rank
    /// as the source), dst[p] = src[p with coordinate <paramref name="axis"/> replaced by index[p]].
    /// </summary>
    public static void Gather(ReadOnlySpan<double> src, ReadOnlySpan<int> srcShape, int axis, ReadOnlySpan<int> index, ReadOnlySpan<int> indexShape, Span<double> dst)
    {
        int rank = indexShape.Length;
        if (index.Length == 0) return;
        Span<int> strides = stackalloc int[rank];
        Shapes.Strides(srcShape, strides);
        Span<int> idx = stackalloc int[rank];
        idx.Clear();
        int inner = indexShape[rank - 1];
        int innerStride = strides[rank - 1];
        int axisStride = strides[axis];
        bool lastIsAxis = axis == rank - 1;
        int offset = 0; // source offset of idx with the axis coordinate taken as 0
        for (int p = 0; p < index.Length; p += inner)
        {
            if (lastIsAxis)
                for (int j = 0; j < inner; j++) dst[p + j] = src[offset + index[p + j] * axisStride];
            else
                for (int j = 0; j < inner; j++) dst[p + j] = src[offset + j * innerStride + index[p + j] * axisStride];
            Advance(idx, indexShape, strides, axis, rank, ref offset);
        }
    }

    /// <summary>
    /// PyTorch-style scatter-add, the adjoint of <see cref="Gather"/>: for every position p of the index array,
    /// dst[p with coordinate <paramref name="axis"/> replaced by index[p]] += values[p].
    /// </summary>
    public static void ScatterAdd(ReadOnlySpan<double> values, ReadOnlySpan<int> indexShape, int axis, ReadOnlySpan<int> index, Span<double> dst, ReadOnlySpan<int> dstShape)
    {
        int rank = indexShape.Length;
        if (index.Length == 0) return;
        Span<int> strides = stackalloc int[rank];
        Shapes.Strides(dstShape, strides);
        Span<int> idx = stackalloc int[rank];
        idx.Clear();
        int inner = indexShape[rank - 1];
        int innerStride = strides[rank - 1];
        int axisStride = strides[axis];
        bool lastIsAxis = axis == rank - 1;
        int offset = 0;
        for (int p = 0; p < index.Length; p += inner)
        {
            if (lastIsAxis)
                for (int j = 0; j < inner; j++) dst[offset + index[p + j] * axisStride] += values[p + j];
            else
                for (int j = 0; j < inner; j++) dst[offset + j * innerStride + index[p + j] * axisStride] += values[p + j];
            Advance(idx, indexShape, strides, axis, rank, ref offset);
        }
    }

    /// <summary>Moves the multi-index over all but the last dimension, keeping the strided offset (axis coordinate excluded).</summary>
    private static void Advance(Span<int> idx, ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, int axis, int rank, ref int offset)
    {
        for (int k = rank - 2; k >= 0; k--)
        {
            idx[k]++;
            if (k != axis) offset += strides[k];
            if (idx[k] < shape[k]) return;
            if (k != axis) offset -= strides[k] * shape[k];
            idx[k] = 0;
        }
    }

    /// <summary>
    /// Running sums along the axis: dst[o, r, i] = Σ_{s ≤ r} src[o, s, i], or Σ_{s ≥ r} when <paramref name="reverse"/>
    /// (the reverse scan is the cumulative sum's adjoint). dst may alias src.
    /// </summary>
    public static void CumSum(ReadOnlySpan<double> src, int outer, int n, int inner, Span<double> dst, bool reverse)
    {
        if (n == 0) return;
        for (int o = 0; o < outer; o++)
        {
            int baseOffset = o * n * inner;
            if (inner == 1)
            {
                double acc = 0;
                if (!reverse) for (int r = 0; r < n; r++) { acc += src[baseOffset + r]; dst[baseOffset + r] = acc; }
                else for (int r = n - 1; r >= 0; r--) { acc += src[baseOffset + r]; dst[baseOffset + r] = acc; }
                continue;
            }
            int first = reverse ? n - 1 : 0, step = reverse ? -1 : 1;
            src.Slice(baseOffset + first * inner, inner).CopyTo(dst.Slice(baseOffset + first * inner, inner));
            for (int r = first + step, c = 1; c < n; r += step, c++)
            {
                var d = dst.Slice(baseOffset + r * inner, inner);
                TP.Add(dst.Slice(baseOffset + (r - step) * inner, inner), src.Slice(baseOffset + r * inner, inner), d);
            }
        }
    }

    /// <summary>dst[o, r, i] = src[o, n − 1 − r, i]. dst must not alias src.</summary>
    public static void Flip(ReadOnlySpan<double> src, int outer, int n, int inner, Span<double> dst)
    {
        for (int o = 0; o < outer; o++)
        {
            int b = o * n * inner;
            if (inner == 1)
            {
                src.Slice(b, n).CopyTo(dst.Slice(b, n));
                dst.Slice(b, n).Reverse();
                continue;
            }
            for (int r = 0; r < n; r++)
                src.Slice(b + (n - 1 - r) * inner, inner).CopyTo(dst.Slice(b + r * inner, inner));
        }
    }
}
