using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>The Poisson distribution with rate λ: log p(k) = k log λ − λ − log k!.</summary>
public sealed class Poisson : Distribution
{
    /// <summary>Poisson(rate), rate non-negative.</summary>
    public Poisson(Tensor rate, bool? validateArgs = null) : base(rate.ShapeArray, [], validateArgs)
    {
        Rate = rate;
        CheckParameter(nameof(rate), rate, Constraints.NonNegative);
    }

    /// <summary>Poisson with a scalar rate.</summary>
    public Poisson(double rate, bool? validateArgs = null) : this(Tensor.Scalar(rate), validateArgs) { }

    /// <summary>The rate (mean) λ.</summary>
    public Tensor Rate { get; }

    /// <inheritdoc />
    public override Constraint Support => Constraints.NonNegativeInteger;

    /// <inheritdoc />
    public override Tensor LogProb(Tensor value)
    {
        CheckValue(value);
        return Beta.XLogY(value, Rate) - Rate - (value + 1.0).LogGamma();
    }

    /// <inheritdoc />
    public override Tensor Sample(RandomStream rng, params int[] sampleShape)
    {
        var shape = ExtendedShape(sampleShape);
        var rate = Rate.Detach().Expand(shape);
        var r = Tensor.Uninitialized(shape);
        Vinfer.Random.Sample.Poisson(rng.NextKey(), rate.Span, r.Span);
        return r;
    }

    /// <summary>λ.</summary>
    public override Tensor Mean => Rate.Expand(BatchShape);

    /// <summary>λ.</summary>
    public override Tensor Variance => Rate.Expand(BatchShape);

    /// <inheritdoc />
    public override Distribution Expand(params int[] batchShape)
    {
        CheckExpand(batchShape);
        return new Poisson(Rate.Expand(batchShape), false);
    }
}
