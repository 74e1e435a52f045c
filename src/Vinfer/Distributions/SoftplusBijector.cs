using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>
/// y = log(1 + eˣ) onto (0, ∞); inverse x = y + log(−expm1(−y)); log|dy/dx| = log σ(x) = −softplus(−x).
/// </summary>
public sealed class SoftplusBijector : Bijector
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor x) => x.Softplus();

    /// <inheritdoc />
    public override Tensor Inverse(Tensor y) => y + (-(-y).Expm1()).Log();

    /// <inheritdoc />
    public override Tensor LogAbsDetJacobian(Tensor x, Tensor y) => x.LogSigmoid();

    /// <inheritdoc />
    public override Constraint Codomain => Constraints.Positive;
}
