using Vinfer.Distributions;
using Vinfer.Modeling;
using Vinfer.Tensors;

namespace Vinfer.Guides;

/// <summary>
/// The mean-field Gaussian family of ADVI (Kucukelbir et al., JMLR 2017, §2.5): independent normals on every
/// unconstrained coordinate, pushed onto each site's support by its bijector. Parameters per site:
/// <c>{prefix}.loc.{site}</c> (initialised at 0 in unconstrained space, Stan's default) and
/// <c>{prefix}.scale.{site}</c> (positive, initialised at <see cref="InitScale"/>, as Pyro's AutoNormal).
/// Sites on the real line are sampled directly from the normal, so an analytic KL to a normal prior applies.
/// </summary>
public sealed class AutoNormal : AutoGuide
{
    /// <summary>A mean-field guide for <paramref name="model"/>.</summary>
    public AutoNormal(Action model, double initScale = 0.1, string prefix = "AutoNormal") : base(model, prefix)
    {
        if (!(initScale > 0)) throw new ArgumentOutOfRangeException(nameof(initScale), $"AutoNormal: initScale must be positive, got {initScale}.");
        InitScale = initScale;
    }

    internal AutoNormal(IReadOnlyList<LatentSite> latents, int maxPlateNesting, string prefix) : base(latents, maxPlateNesting, prefix) { }

    /// <inheritdoc/>
    public override string Family => "AutoNormal";

    /// <summary>The initial standard deviation of every coordinate.</summary>
    public double InitScale { get; } = 0.1;

    /// <inheritdoc/>
    protected override void CreateParameters()
    {
        foreach (var site in Latents) { Loc(site); Scale(site); }
    }

    private Tensor Loc(LatentSite site) => Primitives.Param($"{Prefix}.loc.{site.Name}", () => Tensor.Zeros(site.UnconstrainedShape));

    private Tensor Scale(LatentSite site) =>
        Primitives.Param($"{Prefix}.scale.{site.Name}", () => Tensor.Full(InitScale, site.UnconstrainedShape), Constraints.Positive);

    /// <inheritdoc/>
    protected override void Body()
    {
        foreach (var site in Latents)
        {
            var loc = Loc(site);
            var scale = Scale(site);
            int eventDim = TransformedSite.UnconstrainedEventDim(site);
            using (EnterPlates(site))
            {
                Distribution q = new Normal(loc, scale);
                if (eventDim > 0) q = q.ToEvent(eventDim);
                if (site.IsUnconstrained) Primitives.Sample(site.Name, q);
                else TransformedSite.Place(site, Primitives.Auxiliary(site.Name + "_unconstrained", q));
            }
        }
    }
}
