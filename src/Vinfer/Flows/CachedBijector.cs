using Vinfer.Distributions;
using Vinfer.Tensors;

namespace Vinfer.Flows;

/// <summary>
/// A bijector that keeps the last (x, y) of <see cref="Forward"/> and inverts that y by returning that x (Pyro's
/// <c>cache_size=1</c>, as every <see cref="Flow"/> does). A flow guide puts its whitening after flows whose inverse
/// is numeric and not differentiable (planar): the whitening's triangular solve does not return the flow's output
/// bit for bit, so without this cache the flows' own caches miss, log q loses its gradient in the flow's parameters,
/// and the fit collapses onto a point.
/// </summary>
internal sealed class CachedBijector(Bijector inner) : Bijector
{
    private Tensor? _x, _y;

    public override Tensor Forward(Tensor x)
    {
        var y = inner.Forward(x);
        _x = x;
        _y = y;
        return y;
    }

    public override Tensor Inverse(Tensor y) => ReferenceEquals(y, _y) ? _x! : inner.Inverse(y);

    public override Tensor LogAbsDetJacobian(Tensor x, Tensor y) => inner.LogAbsDetJacobian(x, y);

    public override Constraint Domain => inner.Domain;

    public override Constraint Codomain => inner.Codomain;

    public override int InputEventDim => inner.InputEventDim;

    public override int OutputEventDim => inner.OutputEventDim;

    public override int[] ForwardShape(int[] shape) => inner.ForwardShape(shape);

    public override int[] InverseShape(int[] shape) => inner.InverseShape(shape);

    public override string Name => inner.Name;
}
