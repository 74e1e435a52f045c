using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>
/// A constraint whose <paramref name="reinterpretedDims"/> extra rightmost dimensions are part of the event: an event
/// is satisfied when all its elements are (the support of an <see cref="Independent"/>).
/// </summary>
public sealed class IndependentConstraint(Constraint baseConstraint, int reinterpretedDims) : Constraint
{
    /// <summary>The elementwise (or smaller-event) constraint.</summary>
    public Constraint BaseConstraint { get; } = baseConstraint;

    /// <summary>How many dimensions are added to the base constraint's event.</summary>
    public int ReinterpretedDims { get; } = reinterpretedDims;

    /// <inheritdoc />
    public override int EventDim => BaseConstraint.EventDim + ReinterpretedDims;

    /// <inheritdoc />
    public override bool IsDiscrete => BaseConstraint.IsDiscrete;

    /// <inheritdoc />
    public override Tensor Check(Tensor value)
    {
        var m = BaseConstraint.Check(value);
        int size = 1;
        for (int i = m.Rank - ReinterpretedDims; i < m.Rank; i++) size *= m.Shape[i];
        var r = Tensor.Uninitialized(m.Shape[..(m.Rank - ReinterpretedDims)].ToArray());
        var s = m.Span; var d = r.Span;
        for (int e = 0; e < d.Length; e++)
        {
            double ok = 1;
            for (int j = 0; j < size; j++) if (s[e * size + j] == 0) { ok = 0; break; }
            d[e] = ok;
        }
        return r;
    }

    /// <inheritdoc />
    public override string Name => BaseConstraint.Name;
}
