using System.Text.Json.Nodes;
using Vinfer.Modeling;

namespace Vinfer.Guides;

/// <summary>MAP estimation as a point-mass family: <see cref="AutoDelta"/>, <c>--family map</c>.</summary>
public sealed class MapFamily : VariationalFamily
{
    /// <inheritdoc/>
    public override string Name => "map";

    /// <inheritdoc/>
    public override string FileFamily => "AutoDelta";

    /// <inheritdoc/>
    public override string Description => "a point mass: MAP estimation";

    /// <inheritdoc/>
    public override bool IsPointEstimate => true;

    /// <inheritdoc/>
    public override AutoGuide Create(Action model, FamilyOptions options) => new AutoDelta(model);

    /// <inheritdoc/>
    public override AutoGuide Load(IReadOnlyList<LatentSite> latents, int maxPlateNesting, string prefix, JsonObject settings) =>
        new AutoDelta(latents, maxPlateNesting, prefix);
}
