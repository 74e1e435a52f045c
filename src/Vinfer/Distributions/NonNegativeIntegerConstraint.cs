using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>The integers 0, 1, 2, ….</summary>
public sealed class NonNegativeIntegerConstraint : Constraint
{
    /// <inheritdoc />
    public override bool IsDiscrete => true;

    /// <inheritdoc />
    public override Tensor Check(Tensor value) => Elementwise(value, x => x >= 0 && double.IsFinite(x) && Math.Floor(x) == x);

    /// <inheritdoc />
    public override string Name => "a non-negative integer";
}
