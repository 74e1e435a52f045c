namespace Vinfer.Tensors.Kernels;

/// <summary>
/// Kernels over a batch of row-major rows×cols matrices stored back to back: triangular masks, the main diagonal,
/// diagonal embedding and transposition. Allocation-free; the batch is the product of the leading dimensions.
/// </summary>
public static class MatrixStructureKernels
{
    /// <summary>
    /// dst = src with the entries outside a triangle set to zero. Lower keeps j ≤ i + offset (tril);
    /// upper keeps j ≥ i + offset (triu). dst may alias src.
    /// </summary>
    public static void TriangularMask(ReadOnlySpan<double> src, int batch, int rows, int cols, int offset, bool lower, Span<double> dst)
    {
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < rows; i++)
            {
                int row = (b * rows + i) * cols;
                // kept columns: lower → [0, i + offset], upper → [i + offset, cols)
                int keepFrom = lower ? 0 : Math.Clamp(i + offset, 0, cols);
                int keepTo = lower ? Math.Clamp(i + offset + 1, 0, cols) : cols;
                dst.Slice(row, keepFrom).Clear();
                src.Slice(row + keepFrom, keepTo - keepFrom).CopyTo(dst.Slice(row + keepFrom, keepTo - keepFrom));
                dst.Slice(row + keepTo, cols - keepTo).Clear();
            }
    }

    /// <summary>dst[b, k] = src[b, k, k] for k &lt; min(rows, cols).</summary>
    public static void Diagonal(ReadOnlySpan<double> src, int batch, int rows, int cols, Span<double> dst)
    {
        int m = Math.Min(rows, cols);
        for (int b = 0; b < batch; b++)
            for (int k = 0; k < m; k++) dst[b * m + k] = src[(b * rows + k) * cols + k];
    }

    /// <summary>dst[b] = the n×n matrix with src[b, ·] on its diagonal and zeros elsewhere.</summary>
    public static void DiagEmbed(ReadOnlySpan<double> src, int batch, int n, Span<double> dst)
    {
        dst.Slice(0, batch * n * n).Clear();
        for (int b = 0; b < batch; b++)
            for (int k = 0; k < n; k++) dst[(b * n + k) * n + k] = src[b * n + k];
    }

    /// <summary>dst[b] = src[b]ᵀ for a batch of rows×cols matrices (dst is cols×rows each; no aliasing).</summary>
    public static void Transpose(ReadOnlySpan<double> src, int batch, int rows, int cols, Span<double> dst)
    {
        int size = rows * cols;
        for (int b = 0; b < batch; b++)
        {
            var s = src.Slice(b * size, size);
            var d = dst.Slice(b * size, size);
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++) d[j * rows + i] = s[i * cols + j];
        }
    }
}
