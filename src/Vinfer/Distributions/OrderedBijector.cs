using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>
/// Stan's ordered transform onto increasing vectors (Stan Reference Manual, "Ordered vector"):
/// y₁ = x₁, y_k = y_{k−1} + exp(x_k); log|det ∂y/∂x| = Σ_{k≥2} x_k. With <c>positive</c> set it is Stan's
/// positive-ordered transform, y_k = Σ_{j≤k} exp(x_j), log|det| = Σ_k x_k.
/// </summary>
public sealed class OrderedBijector(bool positive = false) : Bijector
{
    /// <summary>True for the positive-ordered variant.</summary>
    public bool Positive { get; } = positive;

    /// <inheritdoc />
    public override int InputEventDim => 1;

    /// <inheritdoc />
    public override Constraint Codomain => Positive ? new PositiveOrderedConstraint() : Constraints.Ordered;

    /// <inheritdoc />
    public override Tensor Forward(Tensor x)
    {
        int k = x.Dim(-1);
        if (Positive || k == 1) return (Positive ? x.Exp() : x).CumSum(x.Rank - 1);
        var increments = Tensor.Concat(x.Rank - 1, x.Narrow(-1, 0, 1), x.Narrow(-1, 1, k - 1).Exp());
        return increments.CumSum(x.Rank - 1);
    }

    /// <inheritdoc />
    public override Tensor Inverse(Tensor y)
    {
        int k = y.Dim(-1);
        if (k == 1) return Positive ? y.Log() : y;
        var diffs = (y.Narrow(-1, 1, k - 1) - y.Narrow(-1, 0, k - 1)).Log();
        var first = Positive ? y.Narrow(-1, 0, 1).Log() : y.Narrow(-1, 0, 1);
        return Tensor.Concat(y.Rank - 1, first, diffs);
    }

    /// <inheritdoc />
    public override Tensor LogAbsDetJacobian(Tensor x, Tensor y)
    {
        int k = x.Dim(-1);
        if (Positive) return x.Sum(-1);
        return k == 1 ? Tensor.Zeros(x.Shape[..^1].ToArray()) : x.Narrow(-1, 1, k - 1).Sum(-1);
    }
}
