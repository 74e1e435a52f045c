using Vinfer.Random;
using Vinfer.Tensors;
using Vinfer.Tensors.Kernels;

namespace Vinfer.Distributions;

/// <summary>The log-normal distribution: exp of N(loc, scale²). log p(x) = log N(log x | loc, scale) − log x.</summary>
public sealed class LogNormal : Distribution
{
    /// <summary>LogNormal(loc, scale) with scale positive.</summary>
    public LogNormal(Tensor loc, Tensor scale, bool? validateArgs = null)
        : base(BroadcastParameters(nameof(LogNormal), nameof(loc), loc, nameof(scale), scale), [], validateArgs)
    {
        Loc = loc; Scale = scale;
        CheckParameter(nameof(loc), loc, Constraints.Real);
        CheckParameter(nameof(scale), scale, Constraints.Positive);
    }

    /// <summary>LogNormal with scalar parameters.</summary>
    public LogNormal(double loc, double scale, bool? validateArgs = null) : this(Tensor.Scalar(loc), Tensor.Scalar(scale), validateArgs) { }

    /// <summary>The mean of log x.</summary>
    public Tensor Loc { get; }

    /// <summary>The standard deviation of log x.</summary>
    public Tensor Scale { get; }

    /// <inheritdoc />
    public override Constraint Support => Constraints.Positive;

    /// <inheritdoc />
    public override bool HasRSample => true;

    /// <inheritdoc />
    public override Tensor LogProb(Tensor value)
    {
        CheckValue(value);
        var logX = value.Log();
        return FusedLogDensity.Apply<NormalLogDensityKernel>(logX, Loc, Scale, "LogNormal.LogProb") - logX;
    }

    /// <inheritdoc />
    public override Tensor RSample(RandomStream rng, params int[] sampleShape) => (Loc + Scale * NoiseTensors.Normal(rng, ExtendedShape(sampleShape))).Exp();

    /// <summary>exp(μ + σ²/2).</summary>
    public override Tensor Mean => (Loc + 0.5 * Scale.Square()).Exp().Expand(BatchShape);

    /// <summary>(exp(σ²) − 1) exp(2μ + σ²).</summary>
    public override Tensor Variance
    {
        get
        {
            var s2 = Scale.Square();
            return (s2.Expm1() * (2.0 * Loc + s2).Exp()).Expand(BatchShape);
        }
    }

    /// <summary>μ + ½ + ½ log(2π) + log σ.</summary>
    public override Tensor Entropy() => (Loc + Scale.Log() + (0.5 + SpecialFunctions.HalfLog2Pi)).Expand(BatchShape);

    /// <inheritdoc />
    public override Distribution Expand(params int[] batchShape)
    {
        CheckExpand(batchShape);
        return new LogNormal(Loc.Expand(batchShape), Scale.Expand(batchShape), false);
    }
}
