using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>y = b − eˣ onto (−∞, b); log|dy/dx| = x.</summary>
public sealed class UpperBoundBijector(double upperBound) : Bijector
{
    /// <summary>The upper bound b.</summary>
    public double UpperBound { get; } = upperBound;

    /// <inheritdoc />
    public override Tensor Forward(Tensor x) => UpperBound - x.Exp();

    /// <inheritdoc />
    public override Tensor Inverse(Tensor y) => (UpperBound - y).Log();

    /// <inheritdoc />
    public override Tensor LogAbsDetJacobian(Tensor x, Tensor y) => x;

    /// <inheritdoc />
    public override Constraint Codomain => Constraints.LessThan(UpperBound);
}
