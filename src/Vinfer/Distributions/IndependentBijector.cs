using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>A bijector whose log|det J| is also summed over <paramref name="reinterpretedDims"/> more rightmost dimensions.</summary>
public sealed class IndependentBijector(Bijector inner, int reinterpretedDims) : Bijector
{
    /// <summary>The wrapped bijector.</summary>
    public Bijector Inner { get; } = inner;

    /// <inheritdoc />
    public override int InputEventDim => Inner.InputEventDim + reinterpretedDims;

    /// <inheritdoc />
    public override int OutputEventDim => Inner.OutputEventDim + reinterpretedDims;

    /// <inheritdoc />
    public override Tensor Forward(Tensor x) => Inner.Forward(x);

    /// <inheritdoc />
    public override Tensor Inverse(Tensor y) => Inner.Inverse(y);

    /// <inheritdoc />
    public override Tensor LogAbsDetJacobian(Tensor x, Tensor y) => Independent.SumRightmost(Inner.LogAbsDetJacobian(x, y), reinterpretedDims);

    /// <inheritdoc />
    public override Constraint Domain => Constraints.Independent(Inner.Domain, reinterpretedDims);

    /// <inheritdoc />
    public override Constraint Codomain => Constraints.Independent(Inner.Codomain, reinterpretedDims);

    /// <inheritdoc />
    public override int[] ForwardShape(int[] shape) => Inner.ForwardShape(shape);

    /// <inheritdoc />
    public override int[] InverseShape(int[] shape) => Inner.InverseShape(shape);
}
