using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>Strictly increasing finite vectors over the last dimension.</summary>
public sealed class OrderedConstraint : Constraint
{
    /// <inheritdoc />
    public override int EventDim => 1;

    /// <inheritdoc />
    public override Tensor Check(Tensor value) => PerEvent(value, value.Dim(-1), v =>
    {
        for (int i = 0; i < v.Length; i++)
        {
            if (!double.IsFinite(v[i])) return false;
            if (i > 0 && !(v[i] > v[i - 1])) return false;
        }
        return true;
    });

    /// <inheritdoc />
    public override string Name => "an increasing vector";
}
