using System.Text.Json.Nodes;
using Vinfer.Modeling;

namespace Vinfer.Guides;

/// <summary>ADVI's mean-field Gaussian (Kucukelbir et al., JMLR 2017, §2.5): <see cref="AutoNormal"/>, <c>--family meanfield</c>.</summary>
public sealed class MeanFieldFamily : VariationalFamily
{
    /// <inheritdoc/>
    public override string Name => "meanfield";

    /// <inheritdoc/>
    public override string FileFamily => "AutoNormal";

    /// <inheritdoc/>
    public override string Description => "independent normals in unconstrained space (ADVI mean-field)";

    /// <inheritdoc/>
    public override AutoGuide Create(Action model, FamilyOptions options) =>
        options?.Preconditioner is { } p ? new AutoNormal(model, p) : new AutoNormal(model);

    /// <inheritdoc/>
    public override AutoGuide Load(IReadOnlyList<LatentSite> latents, int maxPlateNesting, string prefix, JsonObject settings) =>
        new AutoNormal(latents, maxPlateNesting, prefix, GaussianPreconditioner.FromJson(settings["preconditioner"]));
}
