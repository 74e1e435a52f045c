using System.Text.Json.Nodes;
using Vinfer.Modeling;

namespace Vinfer.Guides;

/// <summary>ADVI's full-rank Gaussian (Kucukelbir et al., JMLR 2017, §2.5): <see cref="AutoMultivariateNormal"/>, <c>--family fullrank</c>.</summary>
public sealed class FullRankFamily : VariationalFamily
{
    /// <inheritdoc/>
    public override string Name => "fullrank";

    /// <inheritdoc/>
    public override string FileFamily => "AutoMultivariateNormal";

    /// <inheritdoc/>
    public override string Description => "one multivariate normal with a full Cholesky factor (ADVI full-rank)";

    /// <inheritdoc/>
    public override AutoGuide Create(Action model, FamilyOptions options) =>
        options?.Preconditioner is { } p ? new AutoMultivariateNormal(model, p) : new AutoMultivariateNormal(model);

    /// <inheritdoc/>
    public override AutoGuide Load(IReadOnlyList<LatentSite> latents, int maxPlateNesting, string prefix, JsonObject settings) =>
        new AutoMultivariateNormal(latents, maxPlateNesting, prefix, GaussianPreconditioner.FromJson(settings["preconditioner"]));
}
