using Vinfer.Random;
using Vinfer.Tensors;

using Vinfer.Tensors.Kernels;

namespace Vinfer.Distributions;

/// <summary>The continuous uniform distribution on [low, high): log p(x) = −log(high − low) inside, −∞ outside.</summary>
public sealed class Uniform : Distribution
{
    /// <summary>Uniform(low, high) with low &lt; high elementwise.</summary>
    public Uniform(Tensor low, Tensor high, bool? validateArgs = null)
        : base(BroadcastParameters(nameof(Uniform), nameof(low), low, nameof(high), high), [], validateArgs)
    {
        Low = low; High = high;
        CheckParameter(nameof(low), low, Constraints.Real);
        CheckParameter(nameof(high), high, Constraints.Real);
        if (Validates)
        {
            var l = low.Expand(BatchShape).Span; var h = high.Expand(BatchShape).Span;
            for (int i = 0; i < l.Length; i++)
                if (!(l[i] < h[i])) throw new ArgumentException($"Uniform: parameter 'high' must exceed 'low', but element {i} has low = {l[i]} and high = {h[i]}.", "high");
        }
    }

    /// <summary>Uniform with scalar bounds.</summary>
    public Uniform(double low, double high, bool? validateArgs = null) : this(Tensor.Scalar(low), Tensor.Scalar(high), validateArgs) { }

    /// <summary>The lower bound.</summary>
    public Tensor Low { get; }

    /// <summary>The upper bound.</summary>
    public Tensor High { get; }

    /// <summary>The interval [low, high] (with tensor bounds).</summary>
    public override Constraint Support => new TensorIntervalConstraint(Low, High);

    /// <inheritdoc />
    public override bool HasRSample => true;

    /// <inheritdoc />
    public override Tensor LogProb(Tensor value)
    {
        CheckValue(value);
        var lp = -(High - Low).Log();
        var inside = Support.Check(value);
        var shape = Shapes.Broadcast(lp.Shape, value.Shape);
        return Tensor.Where(inside, lp.Expand(shape), Tensor.Scalar(double.NegativeInfinity));
    }

    /// <inheritdoc />
    public override Tensor RSample(RandomStream rng, params int[] sampleShape) => Low + (High - Low) * StandardUniform(rng, sampleShape);

    /// <summary>(low + high)/2.</summary>
    public override Tensor Mean => (0.5 * (Low + High)).Expand(BatchShape);

    /// <summary>(high − low)²/12.</summary>
    public override Tensor Variance => ((High - Low).Square() / 12.0).Expand(BatchShape);

    /// <summary>log(high − low).</summary>
    public override Tensor Entropy() => (High - Low).Log().Expand(BatchShape);

    /// <inheritdoc />
    public override Distribution Expand(params int[] batchShape)
    {
        CheckExpand(batchShape);
        return new Uniform(Low.Expand(batchShape), High.Expand(batchShape), false);
    }
}
