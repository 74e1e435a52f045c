using System.Text.Json.Nodes;
using Vinfer.Modeling;

namespace Vinfer.Guides;

/// <summary>
/// Stein variational gradient descent (Liu and Wang 2016) as a family: <c>--family svgd</c>. Its guide is
/// <see cref="AutoParticles"/>; <see cref="Inference.VariationalFit"/> moves the particles with
/// <see cref="Inference.Svgd"/> instead of SVI, and the particles are the draws. No density: k̂ does not apply.
/// </summary>
public sealed class SvgdFamily : VariationalFamily
{
    /// <inheritdoc/>
    public override string Name => "svgd";

    /// <inheritdoc/>
    public override string FileFamily => "AutoParticles";

    /// <inheritdoc/>
    public override string Description => "Stein variational gradient descent: --particles particles are the draws";

    /// <summary>An empirical distribution has no density for PSIS.</summary>
    public override bool IsPointEstimate => true;

    /// <inheritdoc/>
    public override AutoGuide Create(Action model, FamilyOptions options) => new AutoParticles(model, options.Particles);

    /// <inheritdoc/>
    public override AutoGuide Load(IReadOnlyList<LatentSite> latents, int maxPlateNesting, string prefix, JsonObject settings) =>
        new AutoParticles(latents, maxPlateNesting, prefix, (int?)settings["particles"] ?? 2);
}
