using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>The integers lowerBound, …, upperBound (both included).</summary>
public sealed class IntegerIntervalConstraint(double lowerBound, double upperBound) : Constraint
{
    /// <summary>The smallest allowed integer.</summary>
    public double LowerBound { get; } = lowerBound;

    /// <summary>The largest allowed integer.</summary>
    public double UpperBound { get; } = upperBound;

    /// <inheritdoc />
    public override bool IsDiscrete => true;

    /// <inheritdoc />
    public override Tensor Check(Tensor value) { double a = LowerBound, b = UpperBound; return Elementwise(value, x => x >= a && x <= b && Math.Floor(x) == x); }

    /// <inheritdoc />
    public override string Name => LowerBound == 0 && UpperBound == 1 ? "boolean (0 or 1)" : $"an integer in {{{LowerBound}, …, {UpperBound}}}";
}
