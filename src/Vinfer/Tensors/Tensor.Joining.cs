using Vinfer.Tensors.Kernels;

namespace Vinfer.Tensors;

// Joining and splitting along an axis: concat, stack, split, chunk.
public sealed partial class Tensor
{
    /// <summary>
    /// Joins tensors along an existing <paramref name="axis"/>: all have the same rank and the same size on every
    /// other axis. The gradient of each input is its block of the output gradient.
    /// </summary>
    public static Tensor Concat(int axis, params Tensor[] tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Length == 0) throw new ArgumentException("Concat: no tensors given.", nameof(tensors));
        var first = tensors[0];
        if (first.Rank == 0) throw new ArgumentException("Concat: rank-0 tensors have no axis to join along; use Stack.", nameof(tensors));
        int a = Shapes.NormalizeAxis(axis, first.Rank, "Concat");
        int total = 0;
        bool record = false;
        for (int t = 0; t < tensors.Length; t++)
        {
            var x = tensors[t] ?? throw new ArgumentNullException(nameof(tensors), $"Concat: tensor {t} is null.");
            bool sameRank = x.Rank == first.Rank;
            for (int d = 0; sameRank && d < first.Rank; d++)
                if (d != a && x.ShapeArray[d] != first.ShapeArray[d]) sameRank = false;
            if (!sameRank)
                throw new ArgumentException($"Concat: tensor {t} has shape {Shapes.Format(x.Shape)}, which differs from tensor 0's {Shapes.Format(first.Shape)} outside axis {a}.", nameof(tensors));
            total += x.ShapeArray[a];
            record |= x.RequiresGrad;
        }
        var shape = (int[])first.ShapeArray.Clone();
        shape[a] = total;
        var r = Uninitialized(shape);
        first.Split(a, out int outer, out _, out int inner);
        var dst = r.Span;
        int rowBlock = total * inner, offset = 0;
        foreach (var x in tensors)
        {
            int block = x.ShapeArray[a] * inner;
            var src = x.Span;
            for (int o = 0; o < outer; o++) src.Slice(o * block, block).CopyTo(dst.Slice(o * rowBlock + offset, block));
            offset += block;
        }
        return record && GradMode.IsEnabled ? Autograd.Record(r, new ConcatBackward((Tensor[])tensors.Clone(), a)) : r;
    }

    private sealed class ConcatBackward(Tensor[] inputs, int axis) : GradNode(inputs)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            g.Split(axis, out int outer, out int total, out int inner);
            int start = 0;
            foreach (var x in Inputs)
            {
                int n = x.ShapeArray[axis];
                if (x.RequiresGrad)
                {
                    var d = Uninitialized(x.ShapeArray);
                    IndexingKernels.Narrow(g.Span, outer, total, inner, start, n, d.Span);
                    Autograd.AccumulateOwned(x, d);
                }
                start += n;
            }
        }
    }

    /// <summary>Joins tensors of one shape along a new <paramref name="axis"/> (0 … rank; negative counts from the end of the result).</summary>
    public static Tensor Stack(int axis, params Tensor[] tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Length == 0) throw new ArgumentException("Stack: no tensors given.", nameof(tensors));
        var first = tensors[0];
        int a = axis < 0 ? axis + first.Rank + 1 : axis;
        if (a < 0 || a > first.Rank)
            throw new ArgumentOutOfRangeException(nameof(axis), $"Stack: axis {axis} is out of range for stacking tensors of rank {first.Rank}.");
        var parts = new Tensor[tensors.Length];
        for (int t = 0; t < tensors.Length; t++)
        {
            var x = tensors[t] ?? throw new ArgumentNullException(nameof(tensors), $"Stack: tensor {t} is null.");
            if (!Shapes.Equal(x.Shape, first.Shape))
                throw new ArgumentException($"Stack: tensor {t} has shape {Shapes.Format(x.Shape)} but tensor 0 has {Shapes.Format(first.Shape)}; all must match.", nameof(tensors));
            parts[t] = x.Unsqueeze(a);
        }
        return Concat(a, parts);
    }

    /// <summary>Cuts this tensor along <paramref name="axis"/> into consecutive pieces of the given sizes (which must add up to the axis' size).</summary>
    public Tensor[] Split(int[] sizes, int axis = 0)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        int a = Shapes.NormalizeAxis(axis, Rank, "Split");
        long sum = 0;
        foreach (int s in sizes)
        {
            if (s < 0) throw new ArgumentException($"Split: negative size {s} in {Shapes.Format(sizes)}.", nameof(sizes));
            sum += s;
        }
        if (sum != ShapeArray[a])
            throw new ArgumentException($"Split: sizes {Shapes.Format(sizes)} add up to {sum}, not to the size {ShapeArray[a]} of dimension {a} (shape {Shapes.Format(Shape)}).", nameof(sizes));
        var parts = new Tensor[sizes.Length];
        int start = 0;
        for (int i = 0; i < sizes.Length; i++) { parts[i] = Narrow(a, start, sizes[i]); start += sizes[i]; }
        return parts;
    }

    /// <summary>
    /// Cuts this tensor along <paramref name="axis"/> into at most <paramref name="chunks"/> pieces of size
    /// ⌈n / chunks⌉ (the last may be smaller), as PyTorch's chunk does.
    /// </summary>
    public Tensor[] Chunk(int chunks, int axis = 0)
    {
        if (chunks <= 0) throw new ArgumentOutOfRangeException(nameof(chunks), $"Chunk: chunks must be positive, got {chunks}.");
        int a = Shapes.NormalizeAxis(axis, Rank, "Chunk");
        int n = ShapeArray[a];
        int size = Math.Max(1, (n + chunks - 1) / chunks);
        int count = n == 0 ? 1 : (n + size - 1) / size;
        var sizes = new int[count];
        for (int i = 0; i < count; i++) sizes[i] = Math.Min(size, n - i * size);
        return Split(sizes, a);
    }
}
