using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>
/// Constant linear maps along the last axis (y[..., i] = Σⱼ M[i, j] x[..., j]) built on the differentiable MatMul:
/// cumulative sums, differences, padding and the embeddings of triangular-matrix entries that the
/// shape-changing bijectors need.
/// </summary>
internal static class LastAxisLinear
{
    /// <summary>Applies the (rows × cols) matrix <paramref name="m"/> to the last axis of x (size cols).</summary>
    public static Tensor Apply(Tensor x, double[,] m)
    {
        int rows = m.GetLength(0), cols = m.GetLength(1);
        if (x.Dim(-1) != cols) throw new ArgumentException($"LastAxisLinear: last dimension {x.Dim(-1)} does not match the map's {cols} columns.");
        var mt = Tensor.Uninitialized([cols, rows]);
        var s = mt.Span;
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) s[j * rows + i] = m[i, j];
        if (x.Rank == 1) return x.Reshape(1, cols).MatMul(mt).Reshape(rows);
        var lead = x.Shape[..^1].ToArray();
        return x.Reshape(-1, cols).MatMul(mt).Reshape([.. lead, rows]);
    }

    /// <summary>y_i = Σ_{j ≤ i} x_j (inclusive) or Σ_{j &lt; i} x_j (exclusive).</summary>
    public static Tensor CumulativeSum(Tensor x, bool exclusive = false)
    {
        int n = x.Dim(-1);
        var m = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < (exclusive ? i : i + 1); j++) m[i, j] = 1;
        return Apply(x, m);
    }

    /// <summary>y_0 = x_0, y_i = x_i − x_{i−1}.</summary>
    public static Tensor Difference(Tensor x)
    {
        int n = x.Dim(-1);
        var m = new double[n, n];
        for (int i = 0; i < n; i++) { m[i, i] = 1; if (i > 0) m[i, i - 1] = -1; }
        return Apply(x, m);
    }

    /// <summary>Pads the last axis with <paramref name="before"/> zeros in front and <paramref name="after"/> behind (the zeros can be shifted by adding a constant).</summary>
    public static Tensor Pad(Tensor x, int before, int after)
    {
        int n = x.Dim(-1);
        var m = new double[n + before + after, n];
        for (int i = 0; i < n; i++) m[before + i, i] = 1;
        return Apply(x, m);
    }

    /// <summary>The first <paramref name="count"/> entries of the last axis.</summary>
    public static Tensor Take(Tensor x, int start, int count)
    {
        var m = new double[count, x.Dim(-1)];
        for (int i = 0; i < count; i++) m[i, start + i] = 1;
        return Apply(x, m);
    }

    /// <summary>Indices (row-major) of the lower triangle of an n×n matrix, with or without the diagonal.</summary>
    public static int[] LowerIndices(int n, bool diagonal)
    {
        var list = new List<int>();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < (diagonal ? i + 1 : i); j++) list.Add(i * n + j);
        return [.. list];
    }

    /// <summary>Embeds a vector of triangular entries (at <paramref name="indices"/>) into the flattened n×n matrix.</summary>
    public static Tensor Scatter(Tensor v, int[] indices, int size)
    {
        var m = new double[size, indices.Length];
        for (int k = 0; k < indices.Length; k++) m[indices[k], k] = 1;
        return Apply(v, m);
    }

    /// <summary>Reads the entries at <paramref name="indices"/> of a flattened matrix.</summary>
    public static Tensor Gather(Tensor flat, int[] indices)
    {
        var m = new double[indices.Length, flat.Dim(-1)];
        for (int k = 0; k < indices.Length; k++) m[k, indices[k]] = 1;
        return Apply(flat, m);
    }

    /// <summary>The size n with n(n+1)/2 = m (diagonal) or n(n−1)/2 = m (no diagonal); throws when m is not triangular.</summary>
    public static int TriangleSide(int m, bool diagonal, string what)
    {
        int n = (int)Math.Round((Math.Sqrt(8.0 * m + 1) + (diagonal ? -1 : 1)) / 2);
        if ((diagonal ? n * (n + 1) / 2 : n * (n - 1) / 2) != m) throw new ArgumentException($"{what}: {m} is not a triangular number of entries.");
        return n;
    }

    /// <summary>A constant tensor of the given values and shape.</summary>
    public static Tensor Constant(double[] values, params int[] shape) => Tensor.FromArray(values, shape);
}
