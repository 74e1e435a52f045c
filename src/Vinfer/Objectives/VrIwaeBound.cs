namespace Vinfer.Objectives;

/// <summary>
/// The VR-IWAE bound (Daudel, Benton, Shi and Doucet, "Alpha-divergence variational inference meets importance
/// weighted auto-encoders", JMLR 2023; seed 003 eq. (5)): (1/(1 − α)) E[log (1/N) Σ_i w_i^{1−α}] for α ∈ [0, 1],
/// with N importance samples. α = 0 is IWAE, N = 1 the single-sample VR bound, and α = 1 the ELBO (accepted:
/// <see cref="Note"/> says so). Its doubly reparameterized gradient weighs ∇ log w_i by α w̄_i + (1 − α) w̄_i² with
/// w̄_i ∝ w_i^{1−α} (Daudel et al. 2023).
/// Limits: in high dimension the gradient's signal-to-noise ratio collapses unless N grows exponentially with the
/// dimension (Daudel and Roueff 2024); α outside [0, 1] belongs to <see cref="RenyiBound"/>.
/// </summary>
public sealed class VrIwaeBound : ImportanceWeightedObjective
{
    /// <summary>A VR-IWAE bound with α ∈ [0, 1], N importance samples and S estimates.</summary>
    public VrIwaeBound(double alpha, int importanceSamples, int estimates = 1, GradientEstimator estimator = GradientEstimator.Reparameterized, string? localPlate = null)
        : base(nameof(VrIwaeBound), CheckAlpha(alpha), importanceSamples, estimates, estimator, localPlate, isUpperBound: false) { }

    /// <summary>A remark for the user about the chosen α, or null (α = 1 is the ELBO whatever N).</summary>
    public string? Note => Alpha == 1 ? "VR-IWAE with alpha = 1 is the ELBO (log-weights averaged, the N importance samples act as particles)." : null;

    private static double CheckAlpha(double alpha) =>
        alpha is >= 0 and <= 1 ? alpha
            : throw new ArgumentOutOfRangeException(nameof(alpha), $"VrIwaeBound: alpha must be in [0, 1], got {alpha}; use RenyiBound for other orders.");
}
