using System.Globalization;
using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>The closed interval [lowerBound, upperBound].</summary>
public sealed class IntervalConstraint : Constraint
{
    /// <summary>The interval [lowerBound, upperBound]; the bounds must be finite and ordered.</summary>
    public IntervalConstraint(double lowerBound, double upperBound)
    {
        if (!(lowerBound < upperBound) || !double.IsFinite(lowerBound) || !double.IsFinite(upperBound))
            throw new ArgumentException($"Interval: needs finite bounds with lowerBound < upperBound, got [{lowerBound}, {upperBound}].");
        LowerBound = lowerBound; UpperBound = upperBound;
    }

    /// <summary>The lower bound.</summary>
    public double LowerBound { get; }

    /// <summary>The upper bound.</summary>
    public double UpperBound { get; }

    /// <inheritdoc />
    public override Tensor Check(Tensor value) { double a = LowerBound, b = UpperBound; return Elementwise(value, x => x >= a && x <= b); }

    /// <inheritdoc />
    public override string Name => $"in the interval [{LowerBound.ToString("G17", CultureInfo.InvariantCulture)}, {UpperBound.ToString("G17", CultureInfo.InvariantCulture)}]";
}
