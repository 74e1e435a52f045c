using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>y = σ(x) = 1/(1 + e⁻ˣ) onto (0, 1); inverse logit(y) = log y − log1p(−y); log|dy/dx| = log σ(x) + log σ(−x).</summary>
public sealed class SigmoidBijector : Bijector
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor x) => x.Sigmoid();

    /// <inheritdoc />
    public override Tensor Inverse(Tensor y) => y.Log() - (-y).Log1p();

    /// <inheritdoc />
    public override Tensor LogAbsDetJacobian(Tensor x, Tensor y) => x.LogSigmoid() + (-x).LogSigmoid();

    /// <inheritdoc />
    public override Constraint Codomain => Constraints.UnitInterval;
}
