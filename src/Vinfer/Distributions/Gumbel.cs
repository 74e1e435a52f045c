using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>The Gumbel (type-I extreme value) distribution: log p(x) = −(z + e⁻ᶻ) − log β, z = (x − μ)/β.</summary>
public sealed class Gumbel : Distribution
{
    private const double EulerGamma = 0.57721566490153286061;

    /// <summary>Gumbel(loc, scale), scale positive.</summary>
    public Gumbel(Tensor loc, Tensor scale, bool? validateArgs = null)
        : base(BroadcastParameters(nameof(Gumbel), nameof(loc), loc, nameof(scale), scale), [], validateArgs)
    {
        Loc = loc; Scale = scale;
        CheckParameter(nameof(loc), loc, Constraints.Real);
        CheckParameter(nameof(scale), scale, Constraints.Positive);
    }

    /// <summary>Gumbel with scalar parameters.</summary>
    public Gumbel(double loc, double scale, bool? validateArgs = null) : this(Tensor.Scalar(loc), Tensor.Scalar(scale), validateArgs) { }

    /// <summary>Location μ (the mode).</summary>
    public Tensor Loc { get; }

    /// <summary>Scale β.</summary>
    public Tensor Scale { get; }

    /// <inheritdoc />
    public override Constraint Support => Constraints.Real;

    /// <inheritdoc />
    public override bool HasRSample => true;

    /// <inheritdoc />
    public override Tensor LogProb(Tensor value)
    {
        CheckValue(value);
        var z = (value - Loc) / Scale;
        return -(z + (-z).Exp()) - Scale.Log();
    }

    /// <inheritdoc />
    public override Tensor RSample(RandomStream rng, params int[] sampleShape)
    {
        var g = Tensor.Uninitialized(ExtendedShape(sampleShape));
        Vinfer.Random.Sample.Gumbel(rng.NextKey(), g.Span);
        return Loc + Scale * g;
    }

    /// <summary>μ + βγ.</summary>
    public override Tensor Mean => (Loc + Scale * EulerGamma).Expand(BatchShape);

    /// <summary>π²β²/6.</summary>
    public override Tensor Variance => (Scale.Square() * (Math.PI * Math.PI / 6)).Expand(BatchShape);

    /// <summary>log β + γ + 1.</summary>
    public override Tensor Entropy() => (Scale.Log() + (EulerGamma + 1)).Expand(BatchShape);

    /// <inheritdoc />
    public override Distribution Expand(params int[] batchShape)
    {
        CheckExpand(batchShape);
        return new Gumbel(Loc.Expand(batchShape), Scale.Expand(batchShape), false);
    }
}
