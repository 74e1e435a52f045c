using Vinfer.Random;
using Vinfer.Tensors;

using Vinfer.Tensors.Kernels;

namespace Vinfer.Distributions;

/// <summary>
/// A distribution whose batch shape is a broadcast of its base's by new leading dimensions (PyTorch's
/// <c>ExpandedDistribution</c>); draws for the new dimensions are independent. Distributions with tensor
/// parameters override <see cref="Distribution.Expand"/> by expanding the parameters instead.
/// </summary>
public sealed class ExpandedDistribution : Distribution
{
    private readonly int _extra;

    /// <summary>Expands <paramref name="baseDistribution"/> to <paramref name="batchShape"/>.</summary>
    public ExpandedDistribution(Distribution baseDistribution, int[] batchShape)
        : base(batchShape, baseDistribution.EventShape, baseDistribution.Validates)
    {
        BaseDistribution = baseDistribution;
        _extra = batchShape.Length - baseDistribution.BatchShape.Length;
        if (_extra < 0 || !Shapes.Equal(batchShape.AsSpan(_extra), baseDistribution.BatchShape))
            throw new NotSupportedException($"{baseDistribution.Name}.Expand: only new leading batch dimensions are supported for this distribution ({Shapes.Format(baseDistribution.BatchShape)} → {Shapes.Format(batchShape)}).");
    }

    /// <summary>The distribution expanded.</summary>
    public Distribution BaseDistribution { get; }

    /// <inheritdoc />
    public override string Name => BaseDistribution.Name;

    /// <inheritdoc />
    public override Constraint Support => BaseDistribution.Support;

    /// <inheritdoc />
    public override bool HasRSample => BaseDistribution.HasRSample;

    /// <inheritdoc />
    public override Tensor LogProb(Tensor value)
    {
        var lp = BaseDistribution.LogProb(value);
        var target = Shapes.Broadcast(lp.Shape, BatchShape, Name + ".LogProb");
        return Shapes.Equal(target, lp.Shape) ? lp : lp.Expand(target);
    }

    /// <inheritdoc />
    public override Tensor Sample(RandomStream rng, params int[] sampleShape) => BaseDistribution.Sample(rng, Widen(sampleShape));

    /// <inheritdoc />
    public override Tensor RSample(RandomStream rng, params int[] sampleShape) => BaseDistribution.RSample(rng, Widen(sampleShape));

    private int[] Widen(int[] sampleShape) => [.. sampleShape, .. BatchShape[.._extra]];

    /// <inheritdoc />
    public override Tensor Mean => BaseDistribution.Mean.Expand([.. BatchShape, .. EventShape]);

    /// <inheritdoc />
    public override Tensor Variance => BaseDistribution.Variance.Expand([.. BatchShape, .. EventShape]);

    /// <inheritdoc />
    public override Tensor Entropy() => BaseDistribution.Entropy().Expand(BatchShape);

    /// <inheritdoc />
    public override Distribution Expand(params int[] batchShape)
    {
        CheckExpand(batchShape);
        return new ExpandedDistribution(BaseDistribution, (int[])batchShape.Clone());
    }
}
