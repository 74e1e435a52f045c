using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>
/// The multivariate normal with covariance Σ = WWᵀ + diag(D) (W of shape [..., d, r], D positive), as PyTorch's
/// LowRankMultivariateNormal. RSample is μ + Wε₁ + √D ⊙ ε₂ (O(dr)); LogProb and entropy go through the dense
/// Cholesky factor of Σ (O(d³); the Woodbury/capacitance form is a possible speed-up for d ≫ r).
/// </summary>
public sealed class LowRankMultivariateNormal : Distribution
{
    private readonly MultivariateNormal _dense;

    /// <summary>N(loc, covFactor·covFactorᵀ + diag(covDiag)).</summary>
    public LowRankMultivariateNormal(Tensor loc, Tensor covFactor, Tensor covDiag, bool? validateArgs = null)
        : base(loc.Shape[..^1].ToArray(), [loc.Dim(-1)], validateArgs)
    {
        int d = loc.Dim(-1);
        if (covFactor.Rank < 2 || covFactor.Dim(-2) != d) throw Validation.Shape(nameof(LowRankMultivariateNormal), "covFactor", $"must be [..., {d}, rank]", covFactor.Shape);
        if (covDiag.Dim(-1) != d) throw Validation.Shape(nameof(LowRankMultivariateNormal), "covDiag", $"must be [..., {d}]", covDiag.Shape);
        CheckParameter(nameof(loc), loc, Constraints.Real);
        CheckParameter(nameof(covFactor), covFactor, Constraints.Real);
        CheckParameter(nameof(covDiag), covDiag, Constraints.Positive);
        Loc = loc; CovFactor = covFactor; CovDiag = covDiag;
        var diag = covDiag.Unsqueeze(-1) * Identity(d);
        _dense = new MultivariateNormal(loc, covariance: covFactor.MatMul(covFactor.MT) + diag, validateArgs: false);
    }

    internal static Tensor Identity(int d)
    {
        var eye = Tensor.Zeros(d, d);
        for (int i = 0; i < d; i++) eye[i, i] = 1;
        return eye;
    }

    /// <summary>The mean μ.</summary>
    public Tensor Loc { get; }

    /// <summary>W.</summary>
    public Tensor CovFactor { get; }

    /// <summary>D.</summary>
    public Tensor CovDiag { get; }

    /// <summary>The Cholesky factor of Σ.</summary>
    public Tensor ScaleTril => _dense.ScaleTril;

    /// <inheritdoc />
    public override Constraint Support => Constraints.Independent(Constraints.Real, 1);

    /// <inheritdoc />
    public override bool HasRSample => true;

    /// <inheritdoc />
    public override Tensor LogProb(Tensor value)
    {
        CheckValue(value);
        return _dense.LogProb(value);
    }

    /// <inheritdoc />
    public override Tensor RSample(RandomStream rng, params int[] sampleShape)
    {
        var shape = ExtendedShape(sampleShape);
        int r = CovFactor.Dim(-1);
        var e1 = NoiseTensors.Normal(rng, [.. shape[..^1], r, 1]);
        var e2 = NoiseTensors.Normal(rng, shape);
        return Loc + CovFactor.MatMul(e1).Squeeze(-1) + CovDiag.Sqrt() * e2;
    }

    /// <inheritdoc />
    public override Tensor Mean => _dense.Mean;

    /// <summary>Σⱼ Wᵢⱼ² + Dᵢ.</summary>
    public override Tensor Variance => (CovFactor.Square().Sum(-1) + CovDiag).Expand([.. BatchShape, .. EventShape]);

    /// <inheritdoc />
    public override Tensor Entropy() => _dense.Entropy();
}
