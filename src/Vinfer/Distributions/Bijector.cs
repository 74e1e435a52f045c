using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>
/// An invertible differentiable map y = f(x) with a tractable log|det ∂y/∂x| (the "transforms" of
/// <c>torch.distributions</c>, the "bijectors" of TensorFlow Probability; Dillon et al., "TensorFlow Distributions",
/// 2017). Used by TransformedDistribution and by ADVI through <see cref="Bijectors.ToUnconstrained"/>.
/// </summary>
public abstract class Bijector
{
    /// <summary>y = f(x).</summary>
    public abstract Tensor Forward(Tensor x);

    /// <summary>x = f⁻¹(y).</summary>
    public abstract Tensor Inverse(Tensor y);

    /// <summary>
    /// log|det ∂y/∂x| at x (with y = f(x) supplied to save recomputation), summed over the bijector's
    /// <see cref="InputEventDim"/> rightmost dimensions: shape = x's shape without them.
    /// </summary>
    public abstract Tensor LogAbsDetJacobian(Tensor x, Tensor y);

    /// <summary>The set f is defined on.</summary>
    public virtual Constraint Domain => Constraints.Real;

    /// <summary>The set f maps onto.</summary>
    public virtual Constraint Codomain => Constraints.Real;

    /// <summary>How many rightmost input dimensions one application of f couples (0 for elementwise maps).</summary>
    public virtual int InputEventDim => 0;

    /// <summary>How many rightmost output dimensions one application of f produces.</summary>
    public virtual int OutputEventDim => InputEventDim;

    /// <summary>The shape of f(x) for an input of shape <paramref name="shape"/>.</summary>
    public virtual int[] ForwardShape(int[] shape) => shape;

    /// <summary>The shape of f⁻¹(y) for an output of shape <paramref name="shape"/>.</summary>
    public virtual int[] InverseShape(int[] shape) => shape;

    /// <summary>The inverse map as a bijector.</summary>
    public virtual Bijector Inv => new InverseBijector(this);

    /// <summary>A name for messages.</summary>
    public virtual string Name => GetType().Name;

    /// <inheritdoc />
    public override string ToString() => Name;
}
