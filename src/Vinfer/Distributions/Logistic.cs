using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>The logistic distribution: log p(x) = −z − log s − 2 log(1 + e⁻ᶻ), z = (x − μ)/s.</summary>
public sealed class Logistic : Distribution
{
    /// <summary>Logistic(loc, scale), scale positive.</summary>
    public Logistic(Tensor loc, Tensor scale, bool? validateArgs = null)
        : base(BroadcastParameters(nameof(Logistic), nameof(loc), loc, nameof(scale), scale), [], validateArgs)
    {
        Loc = loc; Scale = scale;
        CheckParameter(nameof(loc), loc, Constraints.Real);
        CheckParameter(nameof(scale), scale, Constraints.Positive);
    }

    /// <summary>Logistic with scalar parameters.</summary>
    public Logistic(double loc, double scale, bool? validateArgs = null) : this(Tensor.Scalar(loc), Tensor.Scalar(scale), validateArgs) { }

    /// <summary>Location μ.</summary>
    public Tensor Loc { get; }

    /// <summary>Scale s.</summary>
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
        return -z - Scale.Log() - 2.0 * (-z).Softplus();
    }

    /// <summary>μ + s·logit(u).</summary>
    public override Tensor RSample(RandomStream rng, params int[] sampleShape) =>
        Loc + Scale * NoiseTensors.FromUniform(rng, ExtendedShape(sampleShape), u => Math.Log(u) - Vinfer.Tensors.Kernels.SpecialFunctions.Log1p(-u));

    /// <inheritdoc />
    public override Tensor Mean => Loc.Expand(BatchShape);

    /// <summary>s²π²/3.</summary>
    public override Tensor Variance => (Scale.Square() * (Math.PI * Math.PI / 3)).Expand(BatchShape);

    /// <summary>log s + 2.</summary>
    public override Tensor Entropy() => (Scale.Log() + 2.0).Expand(BatchShape);

    /// <inheritdoc />
    public override Distribution Expand(params int[] batchShape)
    {
        CheckExpand(batchShape);
        return new Logistic(Loc.Expand(batchShape), Scale.Expand(batchShape), false);
    }
}
