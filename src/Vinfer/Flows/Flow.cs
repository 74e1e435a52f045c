using Vinfer.Distributions;
using Vinfer.Tensors;

namespace Vinfer.Flows;

/// <summary>
/// A normalizing-flow layer (Rezende and Mohamed, "Variational Inference with Normalizing Flows", ICML 2015): an
/// invertible map of vectors (the last dimension, of size <see cref="Dimension"/>) with a cheap log|det J|, usable
/// wherever a <see cref="Bijector"/> is (a <see cref="TransformedDistribution"/>, a guide).
/// <para>
/// Design: a flow's parameters are tensors handed to its constructor, not owned by it. A guide builds its flows
/// afresh on every run from parameters it reads from the <see cref="Modeling.ParamStore"/> (so they are named,
/// saved, checkpointed and optimized like every other parameter) and networks are functions of the input passed in
/// as conditioners. So a flow is an ordinary, stateless bijector, and no parameterized-transform hierarchy is needed.
/// </para>
/// <para>
/// Flows without a closed-form inverse (planar) and flows whose inverse is sequential (autoregressive) keep the
/// last (x, y) pair of <see cref="Forward"/> and return x when asked to invert that same y (Pyro's cache_size=1):
/// x keeps its gradient graph, which is what the ELBO of a sample drawn through the flow needs.
/// </para>
/// </summary>
public abstract class Flow : Bijector
{
    private Tensor? _x, _y;

    /// <summary>The size of the vectors the flow maps.</summary>
    public abstract int Dimension { get; }

    /// <summary>Flows act on vectors: one event dimension.</summary>
    public override int InputEventDim => 1;

    /// <inheritdoc/>
    public sealed override Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        CheckLastDimension(x, "x");
        var y = ForwardCore(x);
        _x = x;
        _y = y;
        return y;
    }

    /// <inheritdoc/>
    public sealed override Tensor Inverse(Tensor y)
    {
        ArgumentNullException.ThrowIfNull(y);
        if (ReferenceEquals(y, _y)) return _x!;
        CheckLastDimension(y, "y");
        return InverseCore(y);
    }

    /// <summary>y = f(x) for x [..., <see cref="Dimension"/>].</summary>
    protected abstract Tensor ForwardCore(Tensor x);

    /// <summary>x = f⁻¹(y) for y [..., <see cref="Dimension"/>].</summary>
    protected abstract Tensor InverseCore(Tensor y);

    private void CheckLastDimension(Tensor t, string name)
    {
        if (t.Rank == 0 || t.Dim(-1) != Dimension)
            throw new ArgumentException($"{Name}: {name} must end in a dimension of size {Dimension}, got shape [{string.Join(", ", t.ShapeArray)}].", name);
    }

    /// <summary>Checks that a parameter has the expected shape.</summary>
    protected static Tensor CheckShape(Tensor t, string flow, string name, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(t, name);
        // a one-element tensor serves as a scalar parameter
        if (shape.Length == 0 && t.Count == 1) return t.Rank == 0 ? t : t.Reshape();
        if (!t.Shape.SequenceEqual(shape))
            throw new ArgumentException($"{flow}: {name} must have shape [{string.Join(", ", shape)}], got [{string.Join(", ", t.ShapeArray)}].", name);
        return t;
    }
}
