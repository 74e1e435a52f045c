using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>The closed half-line [0, ∞).</summary>
public sealed class NonNegativeConstraint : Constraint
{
    /// <inheritdoc />
    public override Tensor Check(Tensor value) => Elementwise(value, x => x >= 0 && x < double.PositiveInfinity);

    /// <inheritdoc />
    public override string Name => "non-negative";
}
