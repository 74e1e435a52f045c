using Vinfer.Guides;
using Vinfer.Experiments.Posteriordb;

namespace Vinfer.Experiments.ObjectiveComparison;

/// <summary>
/// The <c>objectives</c> study of issue 9: every posterior of the posteriordb suite fitted with a mean-field Gaussian
/// (Stan's unconstrained coordinates) by the ELBO, the variational Rényi bound (Li and Turner 2016), the IWAE bound
/// (Burda et al. 2016) and the monotonic alpha-divergence updates (Daudel, Douc and Roueff, JMLR 2023), side by side,
/// and compared with the gold-standard reference as <see cref="PosteriordbAccuracy"/> does: mean errors in reference
/// sds, sd ratios, the PSIS k̂ (Yao et al. 2018), the evidence estimates of the fitted guide, and seconds. Mass-covering
/// objectives (α &lt; 1) are meant to widen mean-field's too-narrow marginals (Minka 2005; Li and Turner 2016).
/// The stochastic objectives share one optimizer (Adam, rate decayed as 1/(1 + 4·step/steps), the last half of the
/// iterates averaged) and one budget of draws per step (the ELBO's particles equal K), so only the objective differs.
/// </summary>
public static class ObjectivesStudy
{
    /// <summary>Runs every method on every posterior, reporting each row as it completes.</summary>
    public static IReadOnlyList<ObjectivesStudyRow> Run(ObjectivesStudyOptions options, Action<ObjectivesStudyRow>? progress = null, string? directory = null)
    {
        options.Validate();
        directory ??= PosteriordbFiles.RequireDirectory();
        var known = PosteriordbAccuracy.Posteriors(directory);
        var posteriors = options.Posteriors ?? known;
        foreach (var name in posteriors)
            if (!known.Contains(name))
                throw new ArgumentException($"objectives: unknown posterior '{name}'; known: {string.Join(", ", known)}.");
        var methods = options.Methods ?? options.StandardMethods;
        var rows = new List<ObjectivesStudyRow>();
        foreach (var posterior in posteriors)
            foreach (var method in methods)
            {
                var accuracy = PosteriordbAccuracy.Run(posterior, VariationalFamily.MeanField, Settings(options, method), directory);
                var row = new ObjectivesStudyRow(method.Name, accuracy);
                progress?.Invoke(row);
                rows.Add(row);
            }
        return rows;
    }

    /// <summary>The accuracy harness's settings for one method.</summary>
    private static PosteriordbAccuracyOptions Settings(ObjectivesStudyOptions options, ObjectivesStudyMethod method) => new()
    {
        Steps = options.Steps,
        Particles = options.ImportanceSamples,
        Draws = options.Draws,
        Seed = options.Seed,
        Objective = method.Objective,
        AlphaMoments = method.AlphaMoments,
    };
}
