using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>
/// A set that values may be required to lie in: a distribution's support or a parameter's domain, after
/// <c>torch.distributions.constraints</c>. <see cref="Bijectors.ToUnconstrained"/> maps each onto unconstrained space.
/// </summary>
public abstract class Constraint
{
    /// <summary>
    /// 1 where the value satisfies the constraint and 0 where not, with the <see cref="EventDim"/> rightmost
    /// dimensions reduced (an event is satisfied as a whole). No gradient.
    /// </summary>
    public abstract Tensor Check(Tensor value);

    /// <summary>How many rightmost dimensions make up one constrained event (0 for elementwise constraints).</summary>
    public virtual int EventDim => 0;

    /// <summary>True for sets of integers (or booleans).</summary>
    public virtual bool IsDiscrete => false;

    /// <summary>A description for error messages, e.g. "positive" or "in the interval [0, 1]".</summary>
    public abstract string Name { get; }

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>Applies an elementwise predicate into a 0/1 mask of the value's shape.</summary>
    protected static Tensor Elementwise(Tensor value, Func<double, bool> predicate)
    {
        var r = Tensor.Uninitialized(value.ShapeArray);
        var s = value.Span; var d = r.Span;
        for (int i = 0; i < s.Length; i++) d[i] = predicate(s[i]) ? 1.0 : 0.0;
        return r;
    }

    /// <summary>Applies a predicate to each event of <paramref name="eventSize"/> consecutive values.</summary>
    protected Tensor PerEvent(Tensor value, int eventSize, SpanPredicate predicate)
    {
        int[] shape = value.Shape[..(value.Rank - EventDim)].ToArray();
        var r = Tensor.Uninitialized(shape);
        var s = value.Span; var d = r.Span;
        for (int e = 0; e < d.Length; e++) d[e] = predicate(s.Slice(e * eventSize, eventSize)) ? 1.0 : 0.0;
        return r;
    }

    /// <summary>A predicate over one event's values.</summary>
    protected delegate bool SpanPredicate(ReadOnlySpan<double> values);
}
