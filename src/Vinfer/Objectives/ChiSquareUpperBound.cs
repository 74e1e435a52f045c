namespace Vinfer.Objectives;

/// <summary>
/// The χ² upper bound CUBO₂ = (1/2) log E_q[w²] ≥ log p(x) (Dieng, Tran, Ranganath, Paisley and Blei, "Variational
/// inference via χ upper bound minimization", NeurIPS 2017), estimated with K samples as (1/2) log (1/K) Σ_k w_k²;
/// with the ELBO it brackets the evidence. It is the Rényi bound of order α = −1. The loss's value is the estimate
/// itself (minimized). Its reparameterized gradient is, by default, that of Dieng et al.'s surrogate exp(2·(CUBO − c))
/// (unbiased, along ∇CUBO; see <see cref="ExponentiatedCuboSurrogate"/>, c the previous step's estimate); with
/// <c>exponentiatedSurrogate: false</c>, or another estimator, or a local plate, it is the gradient of the K-sample
/// log-mean-exp, whose expectation is biased (each batch is divided by its own estimate of E_q[w²]).
/// Limits: the log of a K-sample mean is biased downwards for finite K (Jensen), so the estimate can fall below
/// log p(x) when the weights are heavy-tailed. The gradient's variance needs E_q[w⁴] finite: the guide must have
/// heavier tails than the posterior.
/// </summary>
public sealed class ChiSquareUpperBound : ImportanceWeightedObjective
{
    /// <summary>A CUBO₂ estimator with K samples per estimate and S estimates.</summary>
    public ChiSquareUpperBound(int importanceSamples, int estimates = 1, GradientEstimator estimator = GradientEstimator.Reparameterized, string? localPlate = null,
        bool exponentiatedSurrogate = true)
        : base(nameof(ChiSquareUpperBound), -1.0, importanceSamples, estimates, estimator, localPlate, isUpperBound: true, exponentiatedSurrogate) { }
}
