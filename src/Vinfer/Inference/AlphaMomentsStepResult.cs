namespace Vinfer.Inference;

/// <summary>What one monotonic alpha-divergence update saw, measured on the draws from the guide before the update.</summary>
/// <param name="RenyiBound">The Monte Carlo variational Rényi bound L̂_α of the guide before the update (rises as D_α falls).</param>
/// <param name="EffectiveSampleSize">Kish's effective sample size of the self-normalized weights (p/q)^{1−α}.</param>
public sealed record AlphaMomentsStepResult(double RenyiBound, double EffectiveSampleSize);
