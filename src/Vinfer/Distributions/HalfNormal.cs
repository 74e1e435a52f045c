using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>|X| for X ~ N(0, scale²): log p(x) = log 2 + log N(x | 0, scale) on x ≥ 0.</summary>
public sealed class HalfNormal : Distribution
{
    /// <summary>HalfNormal(scale), scale positive.</summary>
    public HalfNormal(Tensor scale, bool? validateArgs = null) : base(scale.ShapeArray, [], validateArgs)
    {
        Scale = scale;
        CheckParameter(nameof(scale), scale, Constraints.Positive);
    }

    /// <summary>HalfNormal with a scalar scale.</summary>
    public HalfNormal(double scale, bool? validateArgs = null) : this(Tensor.Scalar(scale), validateArgs) { }

    /// <summary>The scale σ of the folded normal.</summary>
    public Tensor Scale { get; }

    /// <inheritdoc />
    public override Constraint Support => Constraints.NonNegative;

    /// <inheritdoc />
    public override bool HasRSample => true;

    /// <inheritdoc />
    public override Tensor LogProb(Tensor value)
    {
        CheckValue(value);
        return FusedLogDensity.Apply<NormalLogDensityKernel>(value, Tensor.Scalar(0), Scale, "HalfNormal.LogProb") + Math.Log(2);
    }

    /// <inheritdoc />
    public override Tensor RSample(RandomStream rng, params int[] sampleShape)
    {
        var z = NoiseTensors.Normal(rng, ExtendedShape(sampleShape));
        var s = z.Span;
        for (int i = 0; i < s.Length; i++) s[i] = Math.Abs(s[i]);
        return Scale * z;
    }

    /// <summary>σ√(2/π).</summary>
    public override Tensor Mean => (Scale * Math.Sqrt(2 / Math.PI)).Expand(BatchShape);

    /// <summary>σ²(1 − 2/π).</summary>
    public override Tensor Variance => (Scale.Square() * (1 - 2 / Math.PI)).Expand(BatchShape);

    /// <summary>½ log(πσ²/2) + ½.</summary>
    public override Tensor Entropy() => (Scale.Log() + (0.5 * Math.Log(Math.PI / 2) + 0.5)).Expand(BatchShape);

    /// <inheritdoc />
    public override Distribution Expand(params int[] batchShape)
    {
        CheckExpand(batchShape);
        return new HalfNormal(Scale.Expand(batchShape), false);
    }
}
