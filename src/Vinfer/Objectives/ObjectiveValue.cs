using Vinfer.Tensors;

namespace Vinfer.Objectives;

/// <summary>
/// One evaluation of an objective: the surrogate loss to differentiate, the objective's Monte Carlo estimate (for
/// reporting and convergence checks; for the ELBO, the mean of the per-particle log-weights), and the log-weights
/// it came from.
/// </summary>
public sealed record ObjectiveValue(Tensor Loss, double Estimate, ParticleLogWeights Weights);
