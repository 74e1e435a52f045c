using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>|X| for X ~ Cauchy(0, scale): log p(x) = log(2/π) − log γ − log(1 + (x/γ)²) on x ≥ 0 (Gelman 2006's prior for scales).</summary>
public sealed class HalfCauchy : Distribution
{
    /// <summary>HalfCauchy(scale), scale positive.</summary>
    public HalfCauchy(Tensor scale, bool? validateArgs = null) : base(scale.ShapeArray, [], validateArgs)
    {
        Scale = scale;
        CheckParameter(nameof(scale), scale, Constraints.Positive);
    }

    /// <summary>HalfCauchy with a scalar scale.</summary>
    public HalfCauchy(double scale, bool? validateArgs = null) : this(Tensor.Scalar(scale), validateArgs) { }

    /// <summary>The scale γ.</summary>
    public Tensor Scale { get; }

    /// <inheritdoc />
    public override Constraint Support => Constraints.NonNegative;

    /// <inheritdoc />
    public override bool HasRSample => true;

    /// <inheritdoc />
    public override Tensor LogProb(Tensor value)
    {
        CheckValue(value);
        return -(value / Scale).Square().Log1p() - Scale.Log() + Math.Log(2 / Math.PI);
    }

    /// <inheritdoc />
    public override Tensor RSample(RandomStream rng, params int[] sampleShape)
    {
        var z = NoiseTensors.Cauchy(rng, ExtendedShape(sampleShape));
        var s = z.Span;
        for (int i = 0; i < s.Length; i++) s[i] = Math.Abs(s[i]);
        return Scale * z;
    }

    /// <summary>log(2πγ).</summary>
    public override Tensor Entropy() => (Scale.Log() + Math.Log(2 * Math.PI)).Expand(BatchShape);

    /// <inheritdoc />
    public override Distribution Expand(params int[] batchShape)
    {
        CheckExpand(batchShape);
        return new HalfCauchy(Scale.Expand(batchShape), false);
    }
}
