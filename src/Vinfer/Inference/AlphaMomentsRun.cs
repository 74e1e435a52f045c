namespace Vinfer.Inference;

/// <summary>What an <see cref="AlphaMomentsFit"/> run did.</summary>
/// <param name="Alpha">α.</param>
/// <param name="Damping">The damping γ at the end (halved by each recovery after a failed update).</param>
/// <param name="Samples">Draws per update.</param>
/// <param name="AverageSteps">How many final iterates were averaged (in the mean parameters; fewer than asked when an update of that phase failed).</param>
/// <param name="RenyiBounds">The Monte Carlo Rényi bound L̂_α before each update kept (main phase, then the averaging phase).</param>
/// <param name="EffectiveSampleSizes">The effective sample size of each successful update's weights, in the order they ran (including updates a recovery later undid).</param>
public sealed record AlphaMomentsRun(double Alpha, double Damping, int Samples, int AverageSteps, double[] RenyiBounds, double[] EffectiveSampleSizes);
