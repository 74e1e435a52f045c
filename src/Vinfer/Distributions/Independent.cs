using Vinfer.Random;
using Vinfer.Tensors;

using Vinfer.Tensors.Kernels;

namespace Vinfer.Distributions;

/// <summary>
/// Reads the rightmost <see cref="ReinterpretedBatchDims"/> batch dimensions of a base distribution as event
/// dimensions: the log-density sums over them (Pyro's <c>Independent</c> / <c>.to_event</c>).
/// </summary>
public sealed class Independent : Distribution
{
    /// <summary>Wraps <paramref name="baseDistribution"/>, moving <paramref name="reinterpretedBatchDims"/> batch dimensions into the event.</summary>
    public Independent(Distribution baseDistribution, int reinterpretedBatchDims, bool? validateArgs = null)
        : base(Split(baseDistribution, reinterpretedBatchDims, out var evt), evt, validateArgs ?? baseDistribution.Validates)
    {
        BaseDistribution = baseDistribution;
        ReinterpretedBatchDims = reinterpretedBatchDims;
    }

    private static int[] Split(Distribution d, int n, out int[] eventShape)
    {
        ArgumentNullException.ThrowIfNull(d);
        if (n < 0 || n > d.BatchShape.Length)
            throw new ArgumentOutOfRangeException(nameof(n), $"Independent: reinterpretedBatchDims must be in [0, {d.BatchShape.Length}] for {d.Name} with batch shape {Shapes.Format(d.BatchShape)}, got {n}.");
        int keep = d.BatchShape.Length - n;
        eventShape = [.. d.BatchShape[keep..], .. d.EventShape];
        return d.BatchShape[..keep];
    }

    /// <summary>The wrapped distribution.</summary>
    public Distribution BaseDistribution { get; }

    /// <summary>How many batch dimensions were moved into the event.</summary>
    public int ReinterpretedBatchDims { get; }

    /// <inheritdoc />
    public override string Name => $"Independent({BaseDistribution.Name})";

    /// <inheritdoc />
    public override Constraint Support => Constraints.Independent(BaseDistribution.Support, ReinterpretedBatchDims);

    /// <inheritdoc />
    public override bool HasRSample => BaseDistribution.HasRSample;

    /// <inheritdoc />
    public override Tensor LogProb(Tensor value) => SumRightmost(BaseDistribution.LogProb(value), ReinterpretedBatchDims);

    /// <inheritdoc />
    public override Tensor Sample(RandomStream rng, params int[] sampleShape) => BaseDistribution.Sample(rng, sampleShape);

    /// <inheritdoc />
    public override Tensor RSample(RandomStream rng, params int[] sampleShape) => BaseDistribution.RSample(rng, sampleShape);

    /// <inheritdoc />
    public override Tensor Mean => BaseDistribution.Mean;

    /// <inheritdoc />
    public override Tensor Variance => BaseDistribution.Variance;

    /// <inheritdoc />
    public override Tensor Entropy() => SumRightmost(BaseDistribution.Entropy(), ReinterpretedBatchDims);

    /// <inheritdoc />
    public override Distribution Expand(params int[] batchShape)
    {
        CheckExpand(batchShape);
        int[] full = [.. batchShape, .. BaseDistribution.BatchShape[(BaseDistribution.BatchShape.Length - ReinterpretedBatchDims)..]];
        return new Independent(BaseDistribution.Expand(full), ReinterpretedBatchDims, Validates);
    }

    internal static Tensor SumRightmost(Tensor t, int dims)
    {
        for (int i = 0; i < dims; i++) t = t.Sum(-1);
        return t;
    }
}
