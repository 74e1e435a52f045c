using System.Text.Json.Nodes;
using Vinfer.Modeling;

namespace Vinfer.Guides;

/// <summary>
/// The Gaussian with low-rank-plus-diagonal covariance (Ong, Nott and Smith, JCGS 2018):
/// <see cref="AutoLowRankMultivariateNormal"/> of rank <see cref="FamilyOptions.Rank"/>, <c>--family lowrank</c>.
/// </summary>
public sealed class LowRankFamily : VariationalFamily
{
    /// <inheritdoc/>
    public override string Name => "lowrank";

    /// <inheritdoc/>
    public override string FileFamily => "AutoLowRankMultivariateNormal";

    /// <inheritdoc/>
    public override string Description => "a multivariate normal with low-rank-plus-diagonal covariance";

    /// <inheritdoc/>
    public override AutoGuide Create(Action model, FamilyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Preconditioner is { } p ? new AutoLowRankMultivariateNormal(model, p, options.Rank) : new AutoLowRankMultivariateNormal(model, options.Rank);
    }

    /// <summary>Rebuilds the guide; its rank is the file's <c>settings.rank</c> (1 when absent, as older files had it).</summary>
    public override AutoGuide Load(IReadOnlyList<LatentSite> latents, int maxPlateNesting, string prefix, JsonObject settings) =>
        new AutoLowRankMultivariateNormal(latents, maxPlateNesting, (int?)settings["rank"] ?? 1, prefix, GaussianPreconditioner.FromJson(settings["preconditioner"]));
}
