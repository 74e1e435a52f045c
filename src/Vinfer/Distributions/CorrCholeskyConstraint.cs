using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>
/// Cholesky factors of correlation matrices: lower triangular, positive diagonal, every row of unit Euclidean norm
/// (within 1e-6), over the last two dimensions.
/// </summary>
public sealed class CorrCholeskyConstraint : Constraint
{
    /// <inheritdoc />
    public override int EventDim => 2;

    /// <inheritdoc />
    public override Tensor Check(Tensor value)
    {
        int n = value.Dim(-1);
        if (value.Dim(-2) != n) return Tensor.Zeros(value.Shape[..^2].ToArray());
        return PerEvent(value, n * n, m =>
        {
            if (!LowerCholeskyConstraint.IsLowerCholesky(m, n)) return false;
            for (int i = 0; i < n; i++)
            {
                double norm = 0;
                for (int j = 0; j <= i; j++) norm += m[i * n + j] * m[i * n + j];
                if (Math.Abs(norm - 1) > 1e-6) return false;
            }
            return true;
        });
    }

    /// <inheritdoc />
    public override string Name => "a correlation Cholesky factor (lower triangular, positive diagonal, unit-norm rows)";
}
