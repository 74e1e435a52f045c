using Vinfer.Tensors;

using Vinfer.Tensors.Kernels;

namespace Vinfer.Distributions;

/// <summary>
/// y = loc + scale·x elementwise (loc and scale broadcast against x); log|dy/dx| = log|scale| per element,
/// summed over <paramref name="eventDim"/> rightmost dimensions.
/// </summary>
public sealed class AffineBijector(Tensor loc, Tensor scale, int eventDim = 0) : Bijector
{
    /// <summary>An affine map with scalar coefficients.</summary>
    public AffineBijector(double loc, double scale, int eventDim = 0) : this(Tensor.Scalar(loc), Tensor.Scalar(scale), eventDim) { }

    /// <summary>The shift.</summary>
    public Tensor Loc { get; } = loc;

    /// <summary>The scale (non-zero).</summary>
    public Tensor Scale { get; } = scale;

    /// <inheritdoc />
    public override int InputEventDim => eventDim;

    /// <inheritdoc />
    public override Tensor Forward(Tensor x) => Loc + Scale * x;

    /// <inheritdoc />
    public override Tensor Inverse(Tensor y) => (y - Loc) / Scale;

    /// <inheritdoc />
    public override Tensor LogAbsDetJacobian(Tensor x, Tensor y)
    {
        var shape = Shapes.Broadcast(x.Shape, Scale.Shape, "AffineBijector");
        var l = Scale.Abs().Log();
        if (!Shapes.Equal(l.Shape, shape)) l = l.Expand(shape);
        return SumRightmost(l, eventDim);
    }

    internal static Tensor SumRightmost(Tensor t, int dims)
    {
        for (int i = 0; i < dims; i++) t = t.Sum(-1);
        return t;
    }
}
