namespace Vinfer.Inference;

/// <summary>What an <see cref="AlphaMomentsFit"/> run did.</summary>
/// <param name="Alpha">α.</param>
/// <param name="Damping">The damping γ.</param>
/// <param name="Samples">Draws per update.</param>
/// <param name="AverageSteps">How many final iterates were averaged (in the mean parameters).</param>
/// <param name="RenyiBounds">The Monte Carlo Rényi bound L̂_α before each update.</param>
/// <param name="EffectiveSampleSizes">The effective sample size of each update's weights.</param>
public sealed record AlphaMomentsRun(double Alpha, double Damping, int Samples, int AverageSteps, double[] RenyiBounds, double[] EffectiveSampleSizes);
