using Vinfer.Distributions;
using Vinfer.Modeling;
using Vinfer.Tensors;

namespace Vinfer.Guides;

/// <summary>
/// A point mass on each latent site (Pyro's AutoDelta): maximizing the ELBO with it maximizes log p(x, z), i.e.
/// MAP estimation on the constrained scale (no Jacobian, as Stan's optimizer by default). The value is stored as
/// parameter <c>{prefix}.loc.{site}</c>, constrained to the site's support, initialised where the unconstrained
/// coordinates are 0.
/// </summary>
public sealed class AutoDelta : AutoGuide
{
    /// <summary>A MAP guide for <paramref name="model"/>.</summary>
    public AutoDelta(Action model, string prefix = "AutoDelta") : base(model, prefix) { }

    internal AutoDelta(IReadOnlyList<LatentSite> latents, int maxPlateNesting, string prefix) : base(latents, maxPlateNesting, prefix) { }

    /// <inheritdoc/>
    public override string Family => "AutoDelta";

    /// <inheritdoc/>
    public override bool IsPointEstimate => true;

    /// <inheritdoc/>
    protected override void CreateParameters()
    {
        foreach (var site in Latents) Value(site);
    }

    private Tensor Value(LatentSite site) => Primitives.Param($"{Prefix}.loc.{site.Name}", () =>
    {
        var zero = Tensor.Zeros(site.UnconstrainedShape);
        return site.Bijector is { } b ? b.Forward(zero) : zero;
    }, site.Support);

    /// <inheritdoc/>
    protected override void Body()
    {
        foreach (var site in Latents)
        {
            var v = Value(site);
            using (EnterPlates(site))
                Primitives.Sample(site.Name, new Delta(v, Tensor.Zeros(v.Shape[..(v.Rank - site.EventDim)].ToArray()), site.EventDim, site.Support));
        }
    }
}
