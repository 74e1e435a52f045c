using Vinfer.Diagnostics;

namespace Vinfer.Inference;

/// <summary>
/// Several fits of one model from different initializations, compared by their ELBO estimates with Monte Carlo
/// standard errors (<see cref="RestartComparison"/>): restart 0 starts where the family does (location 0), restart
/// k ≥ 1 from Stan's uniform(−2, 2) on the unconstrained scale with seed + k. The fit with the best ELBO is returned
/// (KL(q‖p) = log p(x) − ELBO, so the best ELBO is the approximation closest to the posterior) and its verdict says
/// whether the restarts agreed: a fit stuck in a worse mode, which k̂ need not flag (Yao et al. 2018 §4 note that k̂
/// cannot see a mode q never visits), shows up as a gap beyond Monte Carlo error.
/// </summary>
public static class FitRestarts
{
    /// <summary>Stan's initialization radius: uniform(−2, 2) on the unconstrained scale.</summary>
    public const double StanRadius = 2.0;

    /// <summary>Fits <paramref name="model"/> <see cref="FitOptions.Restarts"/> times and keeps the best ELBO.</summary>
    public static FitResult Fit(Action model, FitOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Restarts < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Fit: restarts must be at least 1, got {options.Restarts}.");
        if (options.Restarts == 1) return VariationalFit.Fit(model, options);
        var fits = new List<FitResult>(options.Restarts);
        var failures = new List<string>();
        for (int k = 0; k < options.Restarts; k++)
        {
            var each = k == 0 ? options : options with { InitialRadius = options.InitialRadius ?? StanRadius, InitialValues = null, Seed = options.Seed + (ulong)k };
            try
            {
                fits.Add(VariationalFit.Fit(model, each));
            }
            catch (InvalidOperationException e)
            {
                failures.Add($"restart {k}: {e.Message}");
            }
        }
        if (fits.Count == 0) throw new InvalidOperationException($"Fit: every one of {options.Restarts} restarts failed: {string.Join(" ", failures)}");
        var comparison = RestartComparison.Compare(fits.Select(f => f.Elbo).ToArray(), fits.Select(f => f.ElboStandardError).ToArray());
        var best = fits[comparison.Best];
        best.Restarts = fits;
        VariationalFit.Assess(best, comparison);
        return best;
    }
}
