using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>
/// Stan's positive-ordered transform onto increasing positive vectors (Stan Reference Manual, "Positive ordered
/// vector"): y_k = Σ_{j≤k} exp(x_j); log|det ∂y/∂x| = Σ_k x_k.
/// </summary>
public sealed class PositiveOrderedBijector : Bijector
{
    /// <inheritdoc />
    public override int InputEventDim => 1;

    /// <inheritdoc />
    public override Constraint Codomain => Constraints.PositiveOrdered;

    /// <inheritdoc />
    public override Tensor Forward(Tensor x) => x.Exp().CumSum(x.Rank - 1);

    /// <inheritdoc />
    public override Tensor Inverse(Tensor y)
    {
        int k = y.Dim(-1);
        if (k == 1) return y.Log();
        return Tensor.Concat(y.Rank - 1, y.Narrow(-1, 0, 1).Log(), (y.Narrow(-1, 1, k - 1) - y.Narrow(-1, 0, k - 1)).Log());
    }

    /// <inheritdoc />
    public override Tensor LogAbsDetJacobian(Tensor x, Tensor y) => x.Sum(-1);
}
