using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>Strictly increasing vectors of positive finite entries over the last dimension (Stan's <c>positive_ordered</c>).</summary>
public sealed class PositiveOrderedConstraint : Constraint
{
    /// <inheritdoc />
    public override int EventDim => 1;

    /// <inheritdoc />
    public override Tensor Check(Tensor value) => PerEvent(value, value.Dim(-1), v =>
    {
        for (int i = 0; i < v.Length; i++)
        {
            if (!double.IsFinite(v[i]) || !(v[i] > 0)) return false;
            if (i > 0 && !(v[i] > v[i - 1])) return false;
        }
        return true;
    });

    /// <inheritdoc />
    public override string Name => "a positive increasing vector";
}
