using Vinfer.Random;
using Vinfer.Tensors;

using Vinfer.Tensors.Kernels;

namespace Vinfer.Distributions;

/// <summary>
/// A point mass at <see cref="Value"/> carrying a log-density (Pyro's <c>Delta</c> with <c>log_density</c>): how a
/// guide records a latent that is a deterministic function of its own draws, for example z = T(u) with
/// log-density −log|det ∂T/∂u|, or a MAP point estimate with log-density 0. Draws return the value itself
/// (differentiable in whatever produced it); <see cref="LogProb"/> is the log-density at the value and −∞ elsewhere.
/// </summary>
public sealed class Delta : Distribution
{
    private readonly Constraint _support;

    /// <summary>
    /// A point mass at <paramref name="value"/> whose rightmost <paramref name="eventDim"/> dimensions form the event;
    /// <paramref name="logDensity"/> has the batch shape (the value's shape without the event dimensions).
    /// </summary>
    public Delta(Tensor value, Tensor logDensity, int eventDim, Constraint? support = null)
        : base(value.Shape[..(value.Rank - CheckEventDim(value, eventDim))].ToArray(), value.Shape[(value.Rank - eventDim)..].ToArray(), false)
    {
        if (!Shapes.Equal(logDensity.Shape, BatchShape))
        {
            var b = Shapes.Broadcast(logDensity.Shape, BatchShape, "Delta");
            if (!Shapes.Equal(b, BatchShape))
                throw new ArgumentException($"Delta: log-density of shape {Shapes.Format(logDensity.Shape)} does not broadcast to the batch shape {Shapes.Format(BatchShape)}.");
            logDensity = logDensity.Expand(BatchShape);
        }
        Value = value;
        LogDensity = logDensity;
        _support = support ?? Constraints.Real;
    }

    private static int CheckEventDim(Tensor value, int eventDim) =>
        eventDim < 0 || eventDim > value.Rank
            ? throw new ArgumentOutOfRangeException(nameof(eventDim), $"Delta: eventDim {eventDim} is out of range for a value of rank {value.Rank}.")
            : eventDim;

    /// <summary>Where the mass sits.</summary>
    public Tensor Value { get; }

    /// <summary>The log-density at <see cref="Value"/>, batch-shaped.</summary>
    public Tensor LogDensity { get; }

    /// <inheritdoc />
    public override Constraint Support => _support;

    /// <inheritdoc />
    public override bool HasRSample => true;

    /// <inheritdoc />
    public override Tensor LogProb(Tensor value)
    {
        if (ReferenceEquals(value, Value)) return LogDensity;
        // Elsewhere than the value the density is 0: −∞ per event where any coordinate differs.
        var differs = value.EqualTo(Value).Neg() + 1.0;
        for (int i = 0; i < EventShape.Length; i++) differs = differs.Sum(-1);
        var penalty = Tensor.Where(differs, Tensor.Scalar(double.NegativeInfinity), Tensor.Scalar(0.0));
        return LogDensity + penalty;
    }

    /// <inheritdoc />
    public override Tensor RSample(RandomStream rng, params int[] sampleShape) =>
        sampleShape.Length == 0 ? Value : Value.Expand(ExtendedShape(sampleShape));

    /// <inheritdoc />
    public override Tensor Mean => Value;

    /// <inheritdoc />
    public override Tensor Variance => Tensor.Zeros(Value.Shape.ToArray());

    /// <inheritdoc />
    public override Distribution Expand(params int[] batchShape)
    {
        CheckExpand(batchShape);
        return new Delta(Value.Expand([.. batchShape, .. EventShape]), LogDensity.Expand(batchShape), EventShape.Length, _support);
    }
}
