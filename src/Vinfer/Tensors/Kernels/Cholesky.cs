using System.Numerics.Tensors;

namespace Vinfer.Tensors.Kernels;

/// <summary>Which triangle of a square factor holds the non-zero entries.</summary>
public enum TriangularPart
{
    /// <summary>Entries on and below the diagonal (L).</summary>
    Lower,

    /// <summary>Entries on and above the diagonal (U).</summary>
    Upper,
}

/// <summary>
/// Dense Cholesky factorization, triangular solves and log-determinants over row-major spans.
/// All kernels are static, allocation-free and work in place; matrices are n×n row-major
/// (element (i, j) at <c>i * n + j</c>) and right-hand sides are n×m row-major.
/// </summary>
/// <remarks>
/// The factorization is the row-oriented Cholesky–Banachiewicz scheme (Golub &amp; Van Loan, <i>Matrix Computations</i>,
/// 4th ed., §4.2.5): row i of L only needs rows 0..i of L, so every inner product runs over contiguous memory.
/// The solves are forward/back substitution (ibid. §3.1) applied to all m right-hand-side columns at once, so
/// the inner loop is a contiguous axpy over a row of the right-hand side.
/// </remarks>
public static class Cholesky
{
    /// <summary>
    /// Factors the symmetric positive-definite n×n matrix <paramref name="a"/> in place into its lower Cholesky
    /// factor L (A = L Lᵀ). Only the lower triangle of the input is read; on success the strict upper triangle is
    /// set to zero. Returns false (leaving <paramref name="a"/> partially overwritten) when a pivot is not
    /// strictly positive and finite, i.e. when A is not numerically positive definite.
    /// </summary>
    public static bool TryFactorLower(Span<double> a, int n)
    {
        CheckSquare(a.Length, n, nameof(a));
        for (int i = 0; i < n; i++)
        {
            Span<double> rowI = a.Slice(i * n, n);
            for (int j = 0; j < i; j++)
            {
                ReadOnlySpan<double> rowJ = a.Slice(j * n, j);
                double s = rowI[j] - TensorPrimitives.Dot(rowI[..j], rowJ);
                rowI[j] = s / a[j * n + j];
            }
            double d = rowI[i] - TensorPrimitives.Dot(rowI[..i], (ReadOnlySpan<double>)rowI[..i]);
            if (!(d > 0.0) || double.IsInfinity(d))
                return false;
            rowI[i] = Math.Sqrt(d);
            rowI[(i + 1)..].Clear();
        }
        return true;
    }

    /// <summary>
    /// Factors <paramref name="a"/> in place like <see cref="TryFactorLower"/>, throwing
    /// <see cref="ArgumentException"/> naming the failing pivot when the matrix is not positive definite.
    /// </summary>
    public static void FactorLower(Span<double> a, int n)
    {
        CheckSquare(a.Length, n, nameof(a));
        for (int i = 0; i < n; i++)
        {
            Span<double> rowI = a.Slice(i * n, n);
            for (int j = 0; j < i; j++)
            {
                ReadOnlySpan<double> rowJ = a.Slice(j * n, j);
                rowI[j] = (rowI[j] - TensorPrimitives.Dot(rowI[..j], rowJ)) / a[j * n + j];
            }
            double d = rowI[i] - TensorPrimitives.Dot(rowI[..i], (ReadOnlySpan<double>)rowI[..i]);
            if (!(d > 0.0) || double.IsInfinity(d))
                throw new ArgumentException(
                    $"Cholesky.FactorLower: the {n}×{n} matrix is not positive definite (pivot {i} is {d:R}).", nameof(a));
            rowI[i] = Math.Sqrt(d);
            rowI[(i + 1)..].Clear();
        }
    }

    /// <summary>
    /// Solves op(T) X = B in place for X, where T is the n×n triangular <paramref name="factor"/> (its
    /// <paramref name="part"/> triangle is read, the other ignored), op(T) = T or Tᵀ when <paramref name="transpose"/>,
    /// and B is the n×m row-major <paramref name="rhs"/>, overwritten by X.
    /// </summary>
    public static void SolveTriangular(
        ReadOnlySpan<double> factor, int n, Span<double> rhs, int m, TriangularPart part, bool transpose)
    {
        CheckSquare(factor.Length, n, nameof(factor));
        if (m < 0 || rhs.Length != n * m)
            throw new ArgumentException($"Cholesky.SolveTriangular: rhs has length {rhs.Length}, expected n×m = {n}×{m}.", nameof(rhs));
        // op(T) is lower-triangular exactly when (Lower, no transpose) or (Upper, transpose): forward substitution.
        bool forward = (part == TriangularPart.Lower) != transpose;
        if (forward)
        {
            for (int i = 0; i < n; i++)
            {
                Span<double> xi = rhs.Slice(i * m, m);
                for (int k = 0; k < i; k++)
                {
                    double tik = transpose ? factor[k * n + i] : factor[i * n + k];
                    if (tik != 0.0)
                        TensorPrimitives.MultiplyAdd(rhs.Slice(k * m, m), -tik, xi, xi);
                }
                double d = factor[i * n + i];
                TensorPrimitives.Divide(xi, d, xi);
            }
        }
        else
        {
            for (int i = n - 1; i >= 0; i--)
            {
                Span<double> xi = rhs.Slice(i * m, m);
                for (int k = i + 1; k < n; k++)
                {
                    double tik = transpose ? factor[k * n + i] : factor[i * n + k];
                    if (tik != 0.0)
                        TensorPrimitives.MultiplyAdd(rhs.Slice(k * m, m), -tik, xi, xi);
                }
                double d = factor[i * n + i];
                TensorPrimitives.Divide(xi, d, xi);
            }
        }
    }

    /// <summary>Solves L X = B in place (forward substitution) with L the lower factor.</summary>
    public static void SolveLower(ReadOnlySpan<double> lower, int n, Span<double> rhs, int m) =>
        SolveTriangular(lower, n, rhs, m, TriangularPart.Lower, transpose: false);

    /// <summary>Solves Lᵀ X = B in place (back substitution) with L the lower factor.</summary>
    public static void SolveLowerTransposed(ReadOnlySpan<double> lower, int n, Span<double> rhs, int m) =>
        SolveTriangular(lower, n, rhs, m, TriangularPart.Lower, transpose: true);

    /// <summary>Solves A X = B in place given the lower Cholesky factor L of A (A = L Lᵀ): L Y = B, then Lᵀ X = Y.</summary>
    public static void Solve(ReadOnlySpan<double> lower, int n, Span<double> rhs, int m)
    {
        SolveLower(lower, n, rhs, m);
        SolveLowerTransposed(lower, n, rhs, m);
    }

    /// <summary>log det A = 2 Σ log Lᵢᵢ from the lower Cholesky factor L of A.</summary>
    public static double LogDeterminant(ReadOnlySpan<double> lower, int n)
    {
        CheckSquare(lower.Length, n, nameof(lower));
        double s = 0.0;
        for (int i = 0; i < n; i++)
            s += Math.Log(lower[i * n + i]);
        return 2.0 * s;
    }

    /// <summary>
    /// Squared Mahalanobis norm bᵀ A⁻¹ b = ‖L⁻¹ b‖² given the lower factor L of A; <paramref name="work"/> (length n)
    /// receives L⁻¹ b.
    /// </summary>
    public static double MahalanobisSquared(ReadOnlySpan<double> lower, int n, ReadOnlySpan<double> b, Span<double> work)
    {
        if (b.Length != n || work.Length < n)
            throw new ArgumentException($"Cholesky.MahalanobisSquared: b must have length {n} and work at least {n}.");
        Span<double> w = work[..n];
        b.CopyTo(w);
        SolveLower(lower, n, w, 1);
        return TensorPrimitives.Dot((ReadOnlySpan<double>)w, w);
    }

    private static void CheckSquare(int length, int n, string name)
    {
        if (n < 0 || length != n * n)
            throw new ArgumentException($"Cholesky: {name} has length {length}, expected n×n = {n}×{n}.", name);
    }
}
