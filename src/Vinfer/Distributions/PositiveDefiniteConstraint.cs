using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>Symmetric positive-definite matrices over the last two dimensions, tested by attempting a Cholesky factorization.</summary>
public sealed class PositiveDefiniteConstraint : Constraint
{
    /// <inheritdoc />
    public override int EventDim => 2;

    /// <inheritdoc />
    public override Tensor Check(Tensor value)
    {
        int n = value.Dim(-1);
        if (value.Dim(-2) != n) return Tensor.Zeros(value.Shape[..^2].ToArray());
        var scratch = new double[n * n];
        return PerEvent(value, n * n, m =>
        {
            for (int i = 0; i < n; i++)
                for (int j = 0; j < i; j++)
                {
                    double a = m[i * n + j], b = m[j * n + i];
                    if (!double.IsFinite(a) || Math.Abs(a - b) > 1e-8 * (1 + Math.Abs(a) + Math.Abs(b))) return false;
                }
            m.CopyTo(scratch);
            return Vinfer.Tensors.Kernels.Cholesky.TryFactorLower(scratch, n);
        });
    }

    /// <inheritdoc />
    public override string Name => "symmetric positive definite";
}
