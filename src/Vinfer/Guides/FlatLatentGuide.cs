using Vinfer.Distributions;
using Vinfer.Modeling;

namespace Vinfer.Guides;

/// <summary>
/// The common part of guides over one flat vector of all unconstrained latents (Pyro's <c>AutoContinuous</c>):
/// draw the vector from a joint Gaussian at an auxiliary site, cut it into each site's unconstrained block, and
/// place each block on its site through the site's bijector.
/// </summary>
public abstract class FlatLatentGuide : AutoGuide
{
    /// <summary>A guide for <paramref name="model"/>.</summary>
    protected FlatLatentGuide(Action model, string prefix) : base(model, prefix) { }

    /// <summary>A guide over known latent sites (loaded).</summary>
    protected FlatLatentGuide(IReadOnlyList<LatentSite> latents, int maxPlateNesting, string prefix) : base(latents, maxPlateNesting, prefix) { }

    /// <summary>
    /// The distribution of the flat vector of all unconstrained latents, built from the guide's parameters (calling
    /// <c>Param</c>, so it also creates them): its event shape is [<see cref="AutoGuide.LatentDimension"/>] and the
    /// blocks follow <see cref="AutoGuide.Latents"/> in order, each of its site's
    /// <see cref="LatentSite.UnconstrainedCount"/> coordinates. A new flat family (a flow, a mixture…) is a subclass
    /// that implements this and <see cref="AutoGuide.CreateParameters"/>; <see cref="Body"/> places the blocks on the
    /// sites through <see cref="TransformedSite.Place"/>.
    /// </summary>
    public abstract Distribution LatentDistribution();

    /// <inheritdoc/>
    protected override void Body()
    {
        var latent = Primitives.Auxiliary($"_{Prefix}_latent", LatentDistribution());
        int offset = 0;
        var prefix = latent.Shape[..^1].ToArray();
        foreach (var site in Latents)
        {
            int n = site.UnconstrainedCount;
            var block = latent.Narrow(-1, offset, n);
            offset += n;
            // Particle/batch prefix [S, 1, …, 1] → [S] + ones for the plates the site does not use + its own shape,
            // so plate dimensions line up with the model's.
            int keep = Math.Max(prefix.Length - MaxPlateNesting, 0);
            var shape = new List<int>(prefix[..keep]);
            if (prefix.Length > 0) for (int i = site.BatchRank; i < MaxPlateNesting; i++) shape.Add(1);
            shape.AddRange(site.UnconstrainedShape);
            var u = block.Reshape([.. shape]);
            using (EnterPlates(site)) TransformedSite.Place(site, u);
        }
    }
}
