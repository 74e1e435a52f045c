using System.Runtime.CompilerServices;

namespace Vinfer.Tensors.Kernels;

/// <summary>Shape arithmetic shared by every tensor op: element counts, row-major strides, NumPy broadcasting.</summary>
public static class Shapes
{
    /// <summary>The largest rank the kernels handle (they keep per-dimension state on the stack).</summary>
    public const int MaxRank = 8;

    /// <summary>Number of elements of a shape (1 for a scalar shape).</summary>
    public static int Count(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Shape {Format(shape)} has a negative dimension.");
            n *= d;
        }
        if (n > int.MaxValue) throw new ArgumentException($"Shape {Format(shape)} has {n} elements, more than a tensor can hold.");
        return (int)n;
    }

    /// <summary>Row-major strides of a shape.</summary>
    public static void Strides(ReadOnlySpan<int> shape, Span<int> strides)
    {
        int s = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { strides[i] = s; s *= shape[i]; }
    }

    /// <summary>True when both shapes have the same rank and dimensions.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Equal(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);

    /// <summary>The NumPy broadcast of two shapes; throws naming both when they do not broadcast.</summary>
    public static int[] Broadcast(ReadOnlySpan<int> a, ReadOnlySpan<int> b, string op = "broadcast")
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da == db || db == 1) result[i] = da;
            else if (da == 1) result[i] = db;
            else throw new ArgumentException($"{op}: shapes {Format(a)} and {Format(b)} do not broadcast (dimension {i}: {da} vs {db}).");
        }
        return result;
    }

    /// <summary>Normalizes a possibly negative axis against a rank, with a clear error when out of range.</summary>
    public static int NormalizeAxis(int axis, int rank, string op)
    {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new ArgumentOutOfRangeException(nameof(axis), $"{op}: axis {axis} is out of range for a tensor of rank {rank}.");
        return a;
    }

    /// <summary>Formats a shape as <c>[2, 3]</c> for error messages.</summary>
    public static string Format(ReadOnlySpan<int> shape)
    {
        if (shape.Length == 0) return "[]";
        var parts = new string[shape.Length];
        for (int i = 0; i < shape.Length; i++) parts[i] = shape[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
        return "[" + string.Join(", ", parts) + "]";
    }
}
