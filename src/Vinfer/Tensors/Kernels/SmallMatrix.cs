namespace Vinfer.Tensors.Kernels;

/// <summary>
/// Small dense row-major matrix products used by per-time-step recursions (Kalman filtering) where the
/// matrices are a handful of rows wide and call overhead, not throughput, dominates. Allocation-free.
/// </summary>
public static class SmallMatrix
{
    /// <summary>
    /// C = op(A) op(B) with op(X) = X or Xᵀ; op(A) is r×k, op(B) is k×c, C is r×c, all row-major.
    /// A is stored r×k (or k×r when <paramref name="transposeA"/>), B k×c (or c×k when <paramref name="transposeB"/>).
    /// <paramref name="c"/> must not alias the inputs.
    /// </summary>
    public static void Multiply(
        ReadOnlySpan<double> a, bool transposeA, ReadOnlySpan<double> b, bool transposeB,
        Span<double> c, int rows, int inner, int cols)
    {
        if (a.Length != rows * inner || b.Length != inner * cols || c.Length != rows * cols)
            throw new ArgumentException(
                $"SmallMatrix.Multiply: shapes do not match (A {a.Length}, B {b.Length}, C {c.Length} for {rows}×{inner}·{inner}×{cols}).");
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                double s = 0.0;
                for (int k = 0; k < inner; k++)
                {
                    double aik = transposeA ? a[k * rows + i] : a[i * inner + k];
                    double bkj = transposeB ? b[j * inner + k] : b[k * cols + j];
                    s += aik * bkj;
                }
                c[i * cols + j] = s;
            }
        }
    }

    /// <summary>y = A x (or Aᵀ x) with A stored rows×cols row-major.</summary>
    public static void MultiplyVector(ReadOnlySpan<double> a, bool transposeA, ReadOnlySpan<double> x, Span<double> y, int rows, int cols)
    {
        int outLen = transposeA ? cols : rows, inLen = transposeA ? rows : cols;
        if (a.Length != rows * cols || x.Length != inLen || y.Length != outLen)
            throw new ArgumentException("SmallMatrix.MultiplyVector: shapes do not match.");
        for (int i = 0; i < outLen; i++)
        {
            double s = 0.0;
            for (int k = 0; k < inLen; k++)
                s += (transposeA ? a[k * cols + i] : a[i * cols + k]) * x[k];
            y[i] = s;
        }
    }

    /// <summary>Replaces the square n×n matrix A by (A + Aᵀ)/2, removing rounding asymmetry.</summary>
    public static void Symmetrize(Span<double> a, int n)
    {
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
            {
                double s = 0.5 * (a[i * n + j] + a[j * n + i]);
                a[i * n + j] = s;
                a[j * n + i] = s;
            }
    }
}
