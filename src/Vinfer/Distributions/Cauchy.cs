using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>The Cauchy distribution: log p(x) = −log π − log γ − log(1 + ((x − x₀)/γ)²). No mean or variance.</summary>
public sealed class Cauchy : Distribution
{
    /// <summary>Cauchy(loc, scale), scale positive.</summary>
    public Cauchy(Tensor loc, Tensor scale, bool? validateArgs = null)
        : base(BroadcastParameters(nameof(Cauchy), nameof(loc), loc, nameof(scale), scale), [], validateArgs)
    {
        Loc = loc; Scale = scale;
        CheckParameter(nameof(loc), loc, Constraints.Real);
        CheckParameter(nameof(scale), scale, Constraints.Positive);
    }

    /// <summary>Cauchy with scalar parameters.</summary>
    public Cauchy(double loc, double scale, bool? validateArgs = null) : this(Tensor.Scalar(loc), Tensor.Scalar(scale), validateArgs) { }

    /// <summary>The location (median) x₀.</summary>
    public Tensor Loc { get; }

    /// <summary>The scale γ (half width at half maximum).</summary>
    public Tensor Scale { get; }

    /// <inheritdoc />
    public override Constraint Support => Constraints.Real;

    /// <inheritdoc />
    public override bool HasRSample => true;

    /// <inheritdoc />
    public override Tensor LogProb(Tensor value)
    {
        CheckValue(value);
        return -((value - Loc) / Scale).Square().Log1p() - Scale.Log() - Math.Log(Math.PI);
    }

    /// <inheritdoc />
    public override Tensor RSample(RandomStream rng, params int[] sampleShape) => Loc + Scale * NoiseTensors.Cauchy(rng, ExtendedShape(sampleShape));

    /// <summary>log(4πγ).</summary>
    public override Tensor Entropy() => (Scale.Log() + Math.Log(4 * Math.PI)).Expand(BatchShape);

    /// <summary>½ + arctan((x − x₀)/γ)/π.</summary>
    public static double Cdf(double x, double loc, double scale) => 0.5 + Math.Atan((x - loc) / scale) / Math.PI;

    /// <inheritdoc />
    public override Distribution Expand(params int[] batchShape)
    {
        CheckExpand(batchShape);
        return new Cauchy(Loc.Expand(batchShape), Scale.Expand(batchShape), false);
    }
}
