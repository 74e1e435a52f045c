using Vinfer.Guides;

namespace Vinfer.Inference;

/// <summary>Where ADVI's Gaussian families start (<see cref="FitOptions.Initialization"/>).</summary>
public enum AdviStart
{
    /// <summary>
    /// From multi-path Pathfinder's best normal approximation (Zhang et al. 2022), in whose whitened coordinates the
    /// guide is then fitted (<see cref="GaussianPreconditioner"/>): the default for mean-field, low-rank, full-rank and the flows.
    /// </summary>
    Pathfinder,

    /// <summary>Stan's start: mean 0 and scale 0.1 on every unconstrained coordinate, fitted in the raw coordinates.</summary>
    Origin,
}

/// <summary>
/// ADVI's start from Pathfinder (Zhang, Carpenter, Gelman &amp; Vehtari, JMLR 2022; recent Stan interfaces initialize
/// their samplers from Pathfinder draws in the same way): multi-path Pathfinder's best approximation N(μ, L Lᵀ) becomes
/// the preconditioner u = μ + L w of the Gaussian family, whose parameters start at the identity in w. The family's
/// guide thus starts at Pathfinder's normal (full-rank), or at its marginals (mean-field, low-rank), and Adam's
/// steps are taken in units of posterior standard deviations, which makes ill-conditioned posteriors (condition
/// numbers of 10⁵ and more) as easy as well-conditioned ones.
/// </summary>
public static class AdviInitialization
{
    /// <summary>Paths of the initializing Pathfinder run.</summary>
    public const int Paths = 4;

    /// <summary>Draws per path of the initializing run (only its k̂ and resampled draws use them).</summary>
    /// <remarks>
    /// The start uses only the best path's normal, chosen by its ELBO estimate; the draws give the k̂ reported for the
    /// initializing run (from 4 × 25 pooled draws). They were 100 per path, 40 % of the run's density evaluations.
    /// </remarks>
    public const int DrawsPerPath = 25;

    /// <summary>
    /// True for the families Pathfinder initializes: the Gaussian ones, and the flows, which are then fitted in the same
    /// whitened coordinates (their layers start near the identity, so the flow starts at Pathfinder's normal).
    /// </summary>
    public static bool Applies(VariationalFamily family) => family is MeanFieldFamily or FullRankFamily or LowRankFamily or FlowFamily;

    /// <summary>
    /// The preconditioner for <paramref name="model"/> from a Pathfinder run with <paramref name="seed"/>, with the run;
    /// when Pathfinder fails the preconditioner is null and <c>Note</c> says why (the fit then starts at the origin).
    /// </summary>
    public static (GaussianPreconditioner? Preconditioner, PathfinderResult? Pathfinder, string? Note) Prepare(Action model, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        PathfinderResult result;
        try
        {
            result = Pathfinder.Run(model, new PathfinderOptions { Paths = Paths, DrawsPerPath = DrawsPerPath, Draws = DrawsPerPath, Seed = seed });
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or NotSupportedException)
        {
            return (null, null, $"Pathfinder initialization failed, started from the origin instead: {e.Message}");
        }
        var best = result.Best.Approximation!;
        double[] factor;
        try
        {
            factor = best.CholeskyFactor();
        }
        catch (ArgumentException e)
        {
            return (null, result, $"Pathfinder's covariance was not numerically positive definite, started from the origin instead: {e.Message}");
        }
        return (new GaussianPreconditioner(best.Mean, factor), result, null);
    }
}
