using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>Square lower-triangular matrices with a positive diagonal (Cholesky factors) over the last two dimensions.</summary>
public sealed class LowerCholeskyConstraint : Constraint
{
    /// <inheritdoc />
    public override int EventDim => 2;

    /// <inheritdoc />
    public override Tensor Check(Tensor value)
    {
        int n = value.Dim(-1);
        if (value.Dim(-2) != n) return Tensor.Zeros(value.Shape[..^2].ToArray());
        return PerEvent(value, n * n, m => IsLowerCholesky(m, n));
    }

    internal static bool IsLowerCholesky(ReadOnlySpan<double> m, int n)
    {
        for (int i = 0; i < n; i++)
        {
            if (!(m[i * n + i] > 0) || !double.IsFinite(m[i * n + i])) return false;
            for (int j = 0; j < n; j++)
            {
                double x = m[i * n + j];
                if (j > i ? x != 0 : !double.IsFinite(x)) return false;
            }
        }
        return true;
    }

    /// <inheritdoc />
    public override string Name => "lower triangular with a positive diagonal";
}
