using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>y = x; log|det J| = 0.</summary>
public sealed class IdentityBijector(int eventDim = 0) : Bijector
{
    /// <inheritdoc />
    public override int InputEventDim => eventDim;

    /// <inheritdoc />
    public override Tensor Forward(Tensor x) => x;

    /// <inheritdoc />
    public override Tensor Inverse(Tensor y) => y;

    /// <inheritdoc />
    public override Tensor LogAbsDetJacobian(Tensor x, Tensor y) => Tensor.Zeros(x.Shape[..(x.Rank - eventDim)].ToArray());
}
