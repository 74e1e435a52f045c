using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>y = eˣ onto (0, ∞); log|dy/dx| = x.</summary>
public sealed class ExpBijector : Bijector
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor x) => x.Exp();

    /// <inheritdoc />
    public override Tensor Inverse(Tensor y) => y.Log();

    /// <inheritdoc />
    public override Tensor LogAbsDetJacobian(Tensor x, Tensor y) => x;

    /// <inheritdoc />
    public override Constraint Codomain => Constraints.Positive;
}
