namespace Vinfer.Objectives;

/// <summary>
/// The variational Rényi bound (Li and Turner, "Rényi divergence variational inference", NeurIPS 2016)
/// L_α = (1/(1 − α)) log E_q[w^{1−α}] = log p(x) − D_α(q ‖ p(·|x)), estimated with K importance samples as
/// (1/(1 − α)) log (1/K) Σ_k w_k^{1−α}, for any real α: α = 1 is the ELBO (computed exactly as the mean of log w,
/// not as a limit), α = 0 is IWAE, α &lt; 0 gives upper bounds (α = −1 is CUBO), and α = −∞ is VR-max
/// (max_k log w_k, Li and Turner section 4.2).
/// Limits: for finite K the estimate is biased: it is a lower bound of L_α for α &lt; 1 (exactly the VR-IWAE bound)
/// and its variance needs E_q[w^{2(1−α)}] finite; VR-max has no doubly reparameterized form.
/// </summary>
public sealed class RenyiBound : ImportanceWeightedObjective
{
    /// <summary>A VR bound of order <paramref name="alpha"/> (−∞ for VR-max) with K importance samples and S estimates.</summary>
    public RenyiBound(double alpha, int importanceSamples, int estimates = 1, GradientEstimator estimator = GradientEstimator.Reparameterized, string? localPlate = null)
        : base(nameof(RenyiBound), alpha, importanceSamples, estimates, estimator, localPlate, isUpperBound: alpha < 0) { }
}
