using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>y = a + eˣ onto (a, ∞); log|dy/dx| = x.</summary>
public sealed class LowerBoundBijector(double lowerBound) : Bijector
{
    /// <summary>The lower bound a.</summary>
    public double LowerBound { get; } = lowerBound;

    /// <inheritdoc />
    public override Tensor Forward(Tensor x) => x.Exp() + LowerBound;

    /// <inheritdoc />
    public override Tensor Inverse(Tensor y) => (y - LowerBound).Log();

    /// <inheritdoc />
    public override Tensor LogAbsDetJacobian(Tensor x, Tensor y) => x;

    /// <inheritdoc />
    public override Constraint Codomain => Constraints.GreaterThan(LowerBound);
}
