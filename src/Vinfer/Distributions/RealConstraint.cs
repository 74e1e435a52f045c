using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>The real line: every finite value (NaN and ±∞ fail).</summary>
public sealed class RealConstraint : Constraint
{
    /// <inheritdoc />
    public override Tensor Check(Tensor value) => Elementwise(value, double.IsFinite);

    /// <inheritdoc />
    public override string Name => "real (finite)";
}
