using Vinfer.Random;
using Vinfer.Tensors;
using Vinfer.Tensors.Kernels;

namespace Vinfer.Distributions;

/// <summary>
/// The normal (Gaussian) distribution N(loc, scale²). <see cref="LogProb"/> is one fused pass producing the density
/// and all partials; <see cref="RSample"/> is loc + scale·ε with ε ~ N(0, 1) (Kingma and Welling, "Auto-Encoding
/// Variational Bayes", ICLR 2014).
/// </summary>
public sealed class Normal : Distribution
{
    /// <summary>N(loc, scale²) with broadcast tensor parameters; scale must be positive.</summary>
    public Normal(Tensor loc, Tensor scale, bool? validateArgs = null)
        : base(BroadcastParameters(nameof(Normal), nameof(loc), loc, nameof(scale), scale), [], validateArgs)
    {
        Loc = loc; Scale = scale;
        CheckParameter(nameof(loc), loc, Constraints.Real);
        CheckParameter(nameof(scale), scale, Constraints.Positive);
    }

    /// <summary>N(loc, scale²) with scalar parameters.</summary>
    public Normal(double loc, double scale, bool? validateArgs = null) : this(Tensor.Scalar(loc), Tensor.Scalar(scale), validateArgs) { }

    /// <summary>The mean μ.</summary>
    public Tensor Loc { get; }

    /// <summary>The standard deviation σ.</summary>
    public Tensor Scale { get; }

    /// <inheritdoc />
    public override Constraint Support => Constraints.Real;

    /// <inheritdoc />
    public override bool HasRSample => true;

    /// <inheritdoc />
    public override Tensor LogProb(Tensor value)
    {
        CheckValue(value);
        return FusedLogDensity.Apply<NormalLogDensityKernel>(value, Loc, Scale, "Normal.LogProb");
    }

    /// <inheritdoc />
    public override Tensor RSample(RandomStream rng, params int[] sampleShape) => Loc + Scale * StandardNormal(rng, sampleShape);

    /// <inheritdoc />
    public override Tensor Mean => Loc.Expand(BatchShape);

    /// <inheritdoc />
    public override Tensor Variance => Scale.Square().Expand(BatchShape);

    /// <summary>½ + ½ log(2π) + log σ.</summary>
    public override Tensor Entropy() => (Scale.Log() + (0.5 + SpecialFunctions.HalfLog2Pi)).Expand(BatchShape);

    /// <summary>Φ((x − μ)/σ).</summary>
    public Tensor Cdf(Tensor value) => ((value - Loc) / Scale).NormalCdf();

    /// <inheritdoc />
    public override Distribution Expand(params int[] batchShape)
    {
        CheckExpand(batchShape);
        return new Normal(Loc.Expand(batchShape), Scale.Expand(batchShape), false);
    }
}
