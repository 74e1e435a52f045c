using Vinfer.Random;
using Vinfer.Tensors;

using Vinfer.Tensors.Kernels;

namespace Vinfer.Distributions;

/// <summary>
/// Student's t with ν degrees of freedom, location μ and scale σ:
/// log p(x) = log Γ((ν+1)/2) − log Γ(ν/2) − ½ log(νπ) − log σ − (ν+1)/2 · log(1 + z²/ν), z = (x − μ)/σ.
/// RSample is μ + σ·Z·√(ν/(2G)) with G ~ Gamma(ν/2, 1) drawn with implicit reparameterization, so draws are
/// differentiable in ν as well.
/// </summary>
public sealed class StudentT : Distribution
{
    /// <summary>StudentT(df, loc, scale); df and scale positive.</summary>
    public StudentT(Tensor df, Tensor loc, Tensor scale, bool? validateArgs = null)
        : base(Shape3(df, loc, scale), [], validateArgs)
    {
        Df = df; Loc = loc; Scale = scale;
        CheckParameter(nameof(df), df, Constraints.Positive);
        CheckParameter(nameof(loc), loc, Constraints.Real);
        CheckParameter(nameof(scale), scale, Constraints.Positive);
    }

    /// <summary>StudentT with scalar parameters.</summary>
    public StudentT(double df, double loc = 0, double scale = 1, bool? validateArgs = null)
        : this(Tensor.Scalar(df), Tensor.Scalar(loc), Tensor.Scalar(scale), validateArgs) { }

    private static int[] Shape3(Tensor df, Tensor loc, Tensor scale)
    {
        var s = BroadcastParameters(nameof(StudentT), nameof(loc), loc, nameof(scale), scale);
        try { return Shapes.Broadcast(df.Shape, s); }
        catch (ArgumentException) { throw new ArgumentException($"StudentT: the shape of 'df' {Shapes.Format(df.Shape)} does not broadcast with loc/scale {Shapes.Format(s)}."); }
    }

    /// <summary>Degrees of freedom ν.</summary>
    public Tensor Df { get; }

    /// <summary>Location μ.</summary>
    public Tensor Loc { get; }

    /// <summary>Scale σ.</summary>
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
        var half = 0.5 * (Df + 1.0);
        return half.LogGamma() - (0.5 * Df).LogGamma() - 0.5 * (Df * Math.PI).Log() - Scale.Log() - half * (z.Square() / Df).Log1p();
    }

    /// <inheritdoc />
    public override Tensor RSample(RandomStream rng, params int[] sampleShape)
    {
        var shape = ExtendedShape(sampleShape);
        var g = StandardGammaDraw.Draw((0.5 * Df).Expand(shape), rng.NextKey());
        var z = NoiseTensors.Normal(rng, shape);
        return Loc + Scale * z * (0.5 * Df / g).Sqrt();
    }

    /// <summary>μ (defined for ν &gt; 1; NaN otherwise).</summary>
    public override Tensor Mean => Tensor.Where(Df.Greater(Tensor.Scalar(1)), Loc.Expand(BatchShape), Tensor.Full(double.NaN, BatchShape));

    /// <summary>σ²ν/(ν − 2) for ν &gt; 2, +∞ for 1 &lt; ν ≤ 2, NaN for ν ≤ 1.</summary>
    public override Tensor Variance
    {
        get
        {
            var v = (Scale.Square() * Df / (Df - 2.0)).Expand(BatchShape);
            var inf = Tensor.Where(Df.Greater(Tensor.Scalar(1)), Tensor.Full(double.PositiveInfinity, BatchShape), Tensor.Full(double.NaN, BatchShape));
            return Tensor.Where(Df.Greater(Tensor.Scalar(2)), v, inf);
        }
    }

    /// <summary>(ν+1)/2 (ψ((ν+1)/2) − ψ(ν/2)) + ½ log ν + log B(ν/2, ½) + log σ.</summary>
    public override Tensor Entropy()
    {
        var a = 0.5 * Df; var b = a + 0.5;
        var lbeta = a.LogGamma() + MathNet.Numerics.SpecialFunctions.GammaLn(0.5) - b.LogGamma();
        return (b * (b.Digamma() - a.Digamma()) + 0.5 * Df.Log() + lbeta + Scale.Log()).Expand(BatchShape);
    }

    /// <inheritdoc />
    public override Distribution Expand(params int[] batchShape)
    {
        CheckExpand(batchShape);
        return new StudentT(Df.Expand(batchShape), Loc.Expand(batchShape), Scale.Expand(batchShape), false);
    }
}
