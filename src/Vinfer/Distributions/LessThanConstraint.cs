using System.Globalization;
using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>The open half-line (−∞, upperBound).</summary>
public sealed class LessThanConstraint(double upperBound) : Constraint
{
    /// <summary>The (excluded) upper bound.</summary>
    public double UpperBound { get; } = upperBound;

    /// <inheritdoc />
    public override Tensor Check(Tensor value) { double b = UpperBound; return Elementwise(value, x => x < b && x > double.NegativeInfinity); }

    /// <inheritdoc />
    public override string Name => $"less than {UpperBound.ToString("G17", CultureInfo.InvariantCulture)}";
}
