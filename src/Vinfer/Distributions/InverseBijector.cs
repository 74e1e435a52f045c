using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>f⁻¹ as a bijector: log|det ∂x/∂y| = −log|det ∂y/∂x|.</summary>
public sealed class InverseBijector(Bijector inner) : Bijector
{
    /// <summary>The bijector inverted.</summary>
    public Bijector Inner { get; } = inner;

    /// <inheritdoc />
    public override Tensor Forward(Tensor x) => Inner.Inverse(x);

    /// <inheritdoc />
    public override Tensor Inverse(Tensor y) => Inner.Forward(y);

    /// <inheritdoc />
    public override Tensor LogAbsDetJacobian(Tensor x, Tensor y) => -Inner.LogAbsDetJacobian(y, x);

    /// <inheritdoc />
    public override Constraint Domain => Inner.Codomain;

    /// <inheritdoc />
    public override Constraint Codomain => Inner.Domain;

    /// <inheritdoc />
    public override int InputEventDim => Inner.OutputEventDim;

    /// <inheritdoc />
    public override int OutputEventDim => Inner.InputEventDim;

    /// <inheritdoc />
    public override int[] ForwardShape(int[] shape) => Inner.InverseShape(shape);

    /// <inheritdoc />
    public override int[] InverseShape(int[] shape) => Inner.ForwardShape(shape);

    /// <inheritdoc />
    public override Bijector Inv => Inner;

    /// <inheritdoc />
    public override string Name => $"Inverse({Inner.Name})";
}
