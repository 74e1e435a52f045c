namespace Vinfer.Objectives;

/// <summary>
/// The χ² upper bound CUBO₂ = (1/2) log E_q[w²] ≥ log p(x) (Dieng, Tran, Ranganath, Paisley and Blei, "Variational
/// inference via χ upper bound minimization", NeurIPS 2017), estimated with K samples as (1/2) log (1/K) Σ_k w_k²;
/// with the ELBO it brackets the evidence. It is the Rényi bound of order α = −1. The loss is the estimate itself
/// (minimized), so a gradient step lowers the upper bound.
/// Limits: the log of a K-sample mean is biased downwards for finite K (Jensen), so the estimate can fall below
/// log p(x) when the weights are heavy-tailed; Dieng et al. minimize exp(2·CUBO) for an unbiased gradient instead. Its
/// variance needs E_q[w⁴] finite: the guide must have heavier tails than the posterior.
/// </summary>
public sealed class ChiSquareUpperBound : ImportanceWeightedObjective
{
    /// <summary>A CUBO₂ estimator with K samples per estimate and S estimates.</summary>
    public ChiSquareUpperBound(int importanceSamples, int estimates = 1, GradientEstimator estimator = GradientEstimator.Reparameterized, string? localPlate = null)
        : base(nameof(ChiSquareUpperBound), -1.0, importanceSamples, estimates, estimator, localPlate, isUpperBound: true) { }
}
