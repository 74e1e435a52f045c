using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>The Laplace (double exponential) distribution: log p(x) = −log(2b) − |x − μ|/b.</summary>
public sealed class Laplace : Distribution
{
    /// <summary>Laplace(loc, scale), scale positive.</summary>
    public Laplace(Tensor loc, Tensor scale, bool? validateArgs = null)
        : base(BroadcastParameters(nameof(Laplace), nameof(loc), loc, nameof(scale), scale), [], validateArgs)
    {
        Loc = loc; Scale = scale;
        CheckParameter(nameof(loc), loc, Constraints.Real);
        CheckParameter(nameof(scale), scale, Constraints.Positive);
    }

    /// <summary>Laplace with scalar parameters.</summary>
    public Laplace(double loc, double scale, bool? validateArgs = null) : this(Tensor.Scalar(loc), Tensor.Scalar(scale), validateArgs) { }

    /// <summary>Location μ.</summary>
    public Tensor Loc { get; }

    /// <summary>Scale b.</summary>
    public Tensor Scale { get; }

    /// <inheritdoc />
    public override Constraint Support => Constraints.Real;

    /// <inheritdoc />
    public override bool HasRSample => true;

    /// <inheritdoc />
    public override Tensor LogProb(Tensor value)
    {
        CheckValue(value);
        return -(value - Loc).Abs() / Scale - Scale.Log() - Math.Log(2);
    }

    /// <summary>μ − b·sgn(u)·log(1 − 2|u|), u ~ Uniform(−½, ½) (inverse CDF).</summary>
    public override Tensor RSample(RandomStream rng, params int[] sampleShape) =>
        Loc + Scale * NoiseTensors.FromUniform(rng, ExtendedShape(sampleShape), v =>
        {
            double u = v - 0.5;
            return -Math.Sign(u) * Vinfer.Tensors.Kernels.SpecialFunctions.Log1p(-2 * Math.Abs(u));
        });

    /// <inheritdoc />
    public override Tensor Mean => Loc.Expand(BatchShape);

    /// <summary>2b².</summary>
    public override Tensor Variance => (2.0 * Scale.Square()).Expand(BatchShape);

    /// <summary>1 + log(2b).</summary>
    public override Tensor Entropy() => (Scale.Log() + (1 + Math.Log(2))).Expand(BatchShape);

    /// <inheritdoc />
    public override Distribution Expand(params int[] batchShape)
    {
        CheckExpand(batchShape);
        return new Laplace(Loc.Expand(batchShape), Scale.Expand(batchShape), false);
    }
}
