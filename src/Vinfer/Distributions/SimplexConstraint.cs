using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>The probability simplex over the last dimension: non-negative entries summing to 1 (within 1e-6).</summary>
public sealed class SimplexConstraint : Constraint
{
    /// <inheritdoc />
    public override int EventDim => 1;

    /// <inheritdoc />
    public override Tensor Check(Tensor value) => PerEvent(value, value.Dim(-1), v =>
    {
        double sum = 0;
        foreach (double x in v) { if (!(x >= 0)) return false; sum += x; }
        return Math.Abs(sum - 1) <= 1e-6;
    });

    /// <inheritdoc />
    public override string Name => "on the simplex (non-negative, summing to 1)";
}
