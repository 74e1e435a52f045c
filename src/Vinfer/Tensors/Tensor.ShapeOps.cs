using Vinfer.Tensors.Kernels;

namespace Vinfer.Tensors;

// Ops that change the shape or the order of elements: reshape (a view), permute/transpose, expand, sum-to-shape.
public sealed partial class Tensor
{
    /// <summary>The same elements under another shape (one dimension may be −1 and is inferred). Shares the buffer.</summary>
    public Tensor Reshape(params int[] shape)
    {
        var s = (int[])shape.Clone();
        int infer = -1; long known = 1;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException($"Reshape: only one dimension may be -1 in {Shapes.Format(shape)}.");
                infer = i;
            }
            else if (s[i] < 0) throw new ArgumentException($"Reshape: negative dimension in {Shapes.Format(shape)}.");
            else known *= s[i];
        }
        if (infer >= 0)
        {
            if (known == 0 || Count % known != 0) throw new ArgumentException($"Reshape: cannot infer -1 in {Shapes.Format(shape)} for {Count} elements.");
            s[infer] = (int)(Count / known);
        }
        if (Shapes.Count(s) != Count)
            throw new ArgumentException($"Reshape: shape {Shapes.Format(Shape)} ({Count} elements) cannot become {Shapes.Format(shape)}.");
        var r = ViewAs(s);
        return Autograd.ShouldRecord(this) ? Autograd.Record(r, new ReshapeBackward(this)) : r;
    }

    private sealed class ReshapeBackward(Tensor x) : GradNode(x)
    {
        public override void Backward(Tensor output, Tensor g) => Autograd.Accumulate(Inputs[0], g.Detach().ViewAs(Inputs[0].ShapeArray));
    }

    /// <summary>Inserts a dimension of size 1 at <paramref name="axis"/>.</summary>
    public Tensor Unsqueeze(int axis)
    {
        int a = axis < 0 ? axis + Rank + 1 : axis;
        if (a < 0 || a > Rank) throw new ArgumentOutOfRangeException(nameof(axis), $"Unsqueeze: axis {axis} out of range for rank {Rank}.");
        var s = new int[Rank + 1];
        for (int i = 0, j = 0; i <= Rank; i++) s[i] = i == a ? 1 : ShapeArray[j++];
        return Reshape(s);
    }

    /// <summary>Removes a dimension of size 1 at <paramref name="axis"/>.</summary>
    public Tensor Squeeze(int axis)
    {
        int a = Shapes.NormalizeAxis(axis, Rank, "Squeeze");
        if (ShapeArray[a] != 1) throw new ArgumentException($"Squeeze: dimension {a} has size {ShapeArray[a]}, not 1.");
        var s = new int[Rank - 1];
        for (int i = 0, j = 0; i < Rank; i++) if (i != a) s[j++] = ShapeArray[i];
        return Reshape(s);
    }

    /// <summary>Reorders the axes: result dimension i is input dimension <c>axes[i]</c> (a copy).</summary>
    public Tensor Permute(params int[] axes)
    {
        if (axes.Length != Rank) throw new ArgumentException($"Permute: {axes.Length} axes given for a tensor of rank {Rank}.");
        var perm = new int[Rank];
        var seen = new bool[Rank];
        for (int i = 0; i < Rank; i++)
        {
            int a = Shapes.NormalizeAxis(axes[i], Rank, "Permute");
            if (seen[a]) throw new ArgumentException($"Permute: axis {a} appears twice in {Shapes.Format(axes)}.");
            seen[a] = true;
            perm[i] = a;
        }
        var shape = new int[Rank];
        for (int i = 0; i < Rank; i++) shape[i] = ShapeArray[perm[i]];
        var r = Uninitialized(shape);
        PermuteKernel(Span, ShapeArray, perm, r.Span);
        return Autograd.ShouldRecord(this) ? Autograd.Record(r, new PermuteBackward(this, perm)) : r;
    }

    /// <summary>Swaps two axes.</summary>
    public Tensor Transpose(int axis0, int axis1)
    {
        var perm = new int[Rank];
        for (int i = 0; i < Rank; i++) perm[i] = i;
        int a = Shapes.NormalizeAxis(axis0, Rank, "Transpose"), b = Shapes.NormalizeAxis(axis1, Rank, "Transpose");
        (perm[a], perm[b]) = (perm[b], perm[a]);
        return Permute(perm);
    }

    /// <summary>The matrix transpose (swaps the last two axes).</summary>
    public Tensor MT => Rank < 2 ? throw new InvalidOperationException($"MT: tensor of rank {Rank} has no matrix transpose.") : Transpose(-2, -1);

    private static void PermuteKernel(ReadOnlySpan<double> src, int[] shape, int[] perm, Span<double> dst)
    {
        int rank = shape.Length;
        if (dst.Length == 0) return;
        Span<int> srcStrides = stackalloc int[Math.Max(rank, 1)];
        Shapes.Strides(shape, srcStrides);
        Span<int> dims = stackalloc int[Math.Max(rank, 1)];
        Span<int> strides = stackalloc int[Math.Max(rank, 1)];
        for (int i = 0; i < rank; i++) { dims[i] = shape[perm[i]]; strides[i] = srcStrides[perm[i]]; }
        if (rank == 2 && strides[1] != 1)
        {
            // plain matrix transpose: blocked so both sides stay in cache
            int rows = dims[0], cols = dims[1];
            const int B = 32;
            for (int i0 = 0; i0 < rows; i0 += B)
                for (int j0 = 0; j0 < cols; j0 += B)
                    for (int i = i0; i < Math.Min(i0 + B, rows); i++)
                        for (int j = j0; j < Math.Min(j0 + B, cols); j++)
                            dst[i * cols + j] = src[j * rows + i];
            return;
        }
        Span<int> idx = stackalloc int[Math.Max(rank, 1)];
        idx.Clear();
        int inner = rank == 0 ? 1 : dims[rank - 1];
        int innerStride = rank == 0 ? 1 : strides[rank - 1];
        int offset = 0;
        for (int o = 0; o < dst.Length; o += inner)
        {
            for (int j = 0; j < inner; j++) dst[o + j] = src[offset + j * innerStride];
            for (int k = rank - 2; k >= 0; k--)
            {
                idx[k]++; offset += strides[k];
                if (idx[k] < dims[k]) break;
                offset -= strides[k] * dims[k]; idx[k] = 0;
            }
        }
    }

    private sealed class PermuteBackward(Tensor x, int[] perm) : GradNode(x)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            var inverse = new int[perm.Length];
            for (int i = 0; i < perm.Length; i++) inverse[perm[i]] = i;
            var d = Uninitialized(Inputs[0].ShapeArray);
            PermuteKernel(g.Span, g.ShapeArray, inverse, d.Span);
            Autograd.AccumulateOwned(Inputs[0], d);
        }
    }

    /// <summary>This tensor broadcast to <paramref name="shape"/> (a copy); the gradient sums back.</summary>
    public Tensor Expand(params int[] shape)
    {
        var target = Shapes.Broadcast(Shape, shape, "Expand");
        if (!Shapes.Equal(target, shape))
            throw new ArgumentException($"Expand: shape {Shapes.Format(Shape)} cannot be expanded to {Shapes.Format(shape)}.");
        var r = Uninitialized(target);
        Broadcasting.Expand(Span, Shape, r.Span, target);
        return Autograd.ShouldRecord(this) ? Autograd.Record(r, new SumToBackward(this)) : r;
    }

    private sealed class SumToBackward(Tensor x) : GradNode(x)
    {
        public override void Backward(Tensor output, Tensor g) => Autograd.Accumulate(Inputs[0], g);
    }

    /// <summary>
    /// Sums this tensor down to <paramref name="shape"/>, a shape that broadcasts to this one (the reverse of
    /// broadcasting; what gradients of broadcast ops need).
    /// </summary>
    public Tensor SumToShape(int[] shape)
    {
        if (Shapes.Equal(Shape, shape)) return this;
        if (shape.Length > Rank) throw new ArgumentException($"SumToShape: {Shapes.Format(shape)} has more dimensions than {Shapes.Format(Shape)}.");
        int pad = Rank - shape.Length;
        var r = this;
        for (int i = Rank - 1; i >= 0; i--)
        {
            int target = i < pad ? 1 : shape[i - pad];
            if (target == ShapeArray[i]) continue;
            if (target != 1) throw new ArgumentException($"SumToShape: {Shapes.Format(shape)} does not broadcast to {Shapes.Format(Shape)}.");
            r = r.Sum(i, keepDim: true);
        }
        return Shapes.Equal(r.Shape, shape) ? r : r.Reshape(shape);
    }
}
