using System.Globalization;
using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>The open half-line (lowerBound, ∞).</summary>
public sealed class GreaterThanConstraint(double lowerBound) : Constraint
{
    /// <summary>The (excluded) lower bound.</summary>
    public double LowerBound { get; } = lowerBound;

    /// <inheritdoc />
    public override Tensor Check(Tensor value) { double a = LowerBound; return Elementwise(value, x => x > a && x < double.PositiveInfinity); }

    /// <inheritdoc />
    public override string Name => LowerBound == 0 ? "positive" : $"greater than {LowerBound.ToString("G17", CultureInfo.InvariantCulture)}";
}
