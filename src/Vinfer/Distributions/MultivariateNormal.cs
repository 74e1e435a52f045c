using Vinfer.Random;
using Vinfer.Tensors;
using Vinfer.Tensors.Kernels;

namespace Vinfer.Distributions;

/// <summary>
/// The multivariate normal N(μ, Σ) parameterized by exactly one of the Cholesky factor L (Σ = LLᵀ), the covariance
/// Σ or the precision Σ⁻¹; everything is computed from L (never from an inverse), after PyTorch's
/// MultivariateNormal. LogProb is a fused forward substitution with analytic gradients; RSample is μ + Lε.
/// </summary>
public sealed class MultivariateNormal : Distribution
{
    /// <summary>N(loc, Σ) from exactly one of <paramref name="scaleTril"/>, <paramref name="covariance"/>, <paramref name="precision"/>.</summary>
    public MultivariateNormal(Tensor loc, Tensor? scaleTril = null, Tensor? covariance = null, Tensor? precision = null, bool? validateArgs = null)
        : base(Batch(loc, scaleTril ?? covariance ?? precision), [loc.Dim(-1)], validateArgs)
    {
        int given = (scaleTril is null ? 0 : 1) + (covariance is null ? 0 : 1) + (precision is null ? 0 : 1);
        if (given != 1) throw new ArgumentException("MultivariateNormal: give exactly one of 'scaleTril', 'covariance' and 'precision'.");
        var m = (scaleTril ?? covariance ?? precision)!;
        int d = loc.Dim(-1);
        if (m.Rank < 2 || m.Dim(-1) != d || m.Dim(-2) != d)
            throw Validation.Shape(nameof(MultivariateNormal), scaleTril is not null ? "scaleTril" : covariance is not null ? "covariance" : "precision", $"must be [..., {d}, {d}] to match 'loc'", m.Shape);
        Loc = loc;
        CheckParameter(nameof(loc), loc, Constraints.Real);
        if (scaleTril is not null)
        {
            CheckParameter(nameof(scaleTril), scaleTril, Constraints.LowerCholesky);
            ScaleTril = scaleTril;
        }
        else if (covariance is not null)
        {
            CheckParameter(nameof(covariance), covariance, Constraints.PositiveDefinite);
            ScaleTril = CholeskyOp.Factor(covariance, "MultivariateNormal: parameter 'covariance'");
        }
        else
        {
            CheckParameter(nameof(precision), precision!, Constraints.PositiveDefinite);
            ScaleTril = CholeskyOp.Factor(CholeskyOp.SymmetricInverse(precision!, "MultivariateNormal: parameter 'precision'"), "MultivariateNormal: parameter 'precision'");
        }
    }

    private static int[] Batch(Tensor loc, Tensor? m)
    {
        if (loc.Rank < 1) throw Validation.Shape(nameof(MultivariateNormal), "loc", "must have at least one dimension", loc.Shape);
        if (m is null || m.Rank < 2) return loc.Shape[..^1].ToArray();
        try { return Shapes.Broadcast(loc.Shape[..^1], m.Shape[..^2]); }
        catch (ArgumentException) { throw new ArgumentException($"MultivariateNormal: the batch shapes of 'loc' {Shapes.Format(loc.Shape)} and the matrix parameter {Shapes.Format(m.Shape)} do not broadcast."); }
    }

    /// <summary>The mean μ.</summary>
    public Tensor Loc { get; }

    /// <summary>The lower Cholesky factor L of the covariance.</summary>
    public Tensor ScaleTril { get; }

    /// <summary>Σ = LLᵀ.</summary>
    public Tensor Covariance => ScaleTril.MatMul(ScaleTril.MT);

    /// <inheritdoc />
    public override Constraint Support => Constraints.Independent(Constraints.Real, 1);

    /// <inheritdoc />
    public override bool HasRSample => true;

    /// <inheritdoc />
    public override Tensor LogProb(Tensor value)
    {
        CheckValue(value);
        return MultivariateNormalLogDensity.Apply(value, Loc, ScaleTril);
    }

    /// <inheritdoc />
    public override Tensor RSample(RandomStream rng, params int[] sampleShape)
    {
        var eps = NoiseTensors.Normal(rng, [.. ExtendedShape(sampleShape), 1]);
        return Loc + ScaleTril.MatMul(eps).Squeeze(-1);
    }

    /// <inheritdoc />
    public override Tensor Mean => Loc.Expand([.. BatchShape, .. EventShape]);

    /// <summary>The diagonal of Σ: Σⱼ Lᵢⱼ².</summary>
    public override Tensor Variance => ScaleTril.Square().Sum(-1).Expand([.. BatchShape, .. EventShape]);

    /// <summary>(d/2)(1 + log 2π) + Σ log Lᵢᵢ.</summary>
    public override Tensor Entropy()
    {
        int d = EventShape[0];
        return (HalfLogDet(ScaleTril) + d * (0.5 + SpecialFunctions.HalfLog2Pi)).Expand(BatchShape);
    }

    /// <summary>Σ log Lᵢᵢ (= ½ log det Σ).</summary>
    internal static Tensor HalfLogDet(Tensor l)
    {
        int d = l.Dim(-1);
        var eye = Tensor.Zeros(d, d);
        for (int i = 0; i < d; i++) eye[i, i] = 1;
        // Off-diagonal entries become 1 before the log (log 1 = 0), so only the diagonal contributes.
        return Tensor.Where(eye, l, Tensor.Scalar(1)).Log().Sum([-2, -1]);
    }

    /// <inheritdoc />
    public override Distribution Expand(params int[] batchShape)
    {
        CheckExpand(batchShape);
        int d = EventShape[0];
        return new MultivariateNormal(Loc.Expand([.. batchShape, d]), scaleTril: ScaleTril.Expand([.. batchShape, d, d]), validateArgs: false);
    }
}
