using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>The exponential distribution with rate λ: log p(x) = log λ − λx on x ≥ 0.</summary>
public sealed class Exponential : Distribution
{
    /// <summary>Exponential(rate), rate positive.</summary>
    public Exponential(Tensor rate, bool? validateArgs = null) : base(rate.ShapeArray, [], validateArgs)
    {
        Rate = rate;
        CheckParameter(nameof(rate), rate, Constraints.Positive);
    }

    /// <summary>Exponential with a scalar rate.</summary>
    public Exponential(double rate, bool? validateArgs = null) : this(Tensor.Scalar(rate), validateArgs) { }

    /// <summary>The rate λ.</summary>
    public Tensor Rate { get; }

    /// <inheritdoc />
    public override Constraint Support => Constraints.NonNegative;

    /// <inheritdoc />
    public override bool HasRSample => true;

    /// <inheritdoc />
    public override Tensor LogProb(Tensor value)
    {
        CheckValue(value);
        return Rate.Log() - Rate * value;
    }

    /// <inheritdoc />
    public override Tensor RSample(RandomStream rng, params int[] sampleShape)
    {
        var e = Tensor.Uninitialized(ExtendedShape(sampleShape));
        Vinfer.Random.Sample.Exponential(rng.NextKey(), e.Span);
        return e / Rate;
    }

    /// <summary>1/λ.</summary>
    public override Tensor Mean => Rate.Reciprocal().Expand(BatchShape);

    /// <summary>1/λ².</summary>
    public override Tensor Variance => Rate.Square().Reciprocal().Expand(BatchShape);

    /// <summary>1 − log λ.</summary>
    public override Tensor Entropy() => (1.0 - Rate.Log()).Expand(BatchShape);

    /// <inheritdoc />
    public override Distribution Expand(params int[] batchShape)
    {
        CheckExpand(batchShape);
        return new Exponential(Rate.Expand(batchShape), false);
    }
}
