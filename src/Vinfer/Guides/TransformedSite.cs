using Vinfer.Distributions;
using Vinfer.Modeling;
using Vinfer.Tensors;

namespace Vinfer.Guides;

/// <summary>
/// How an automatic guide puts a value on a latent site from an unconstrained draw u: z = T(u) with T the bijector
/// onto the site's support, recorded as a point mass at z whose log-density is −log|det ∂T/∂u| (so the guide's
/// density of z is q(u)·|det ∂T/∂u|⁻¹, as in Pyro's autoguides). Sites on the real line take u itself. Guides that
/// draw in unconstrained space (every automatic guide, and new families) place their draws on the model's sites
/// with it, inside the site's plates.
/// </summary>
public static class TransformedSite
{
    /// <summary>
    /// Records site <paramref name="site"/> with the value T(u) and returns it; <paramref name="u"/> has the
    /// particle/batch prefix then the site's <see cref="LatentSite.UnconstrainedShape"/>. Call it with the site's
    /// plates open.
    /// </summary>
    public static Tensor Place(LatentSite site, Tensor u)
    {
        var bijector = site.Bijector;
        if (bijector is null)
            return Primitives.Sample(site.Name, new Delta(u, Tensor.Zeros(BatchShape(u, site.EventDim)), site.EventDim, site.Support));
        var z = bijector.Forward(u);
        var logDet = bijector.LogAbsDetJacobian(u, z);
        int uEventDim = site.UnconstrainedShape.Length - site.BatchRank;
        int batchRank = u.Rank - uEventDim;
        while (logDet.Rank > batchRank) logDet = logDet.Sum(-1);
        return Primitives.Sample(site.Name, new Delta(z, -logDet, site.EventDim, site.Support));
    }

    private static int[] BatchShape(Tensor value, int eventDim) => value.Shape[..(value.Rank - eventDim)].ToArray();

    /// <summary>The number of event dimensions of the site's unconstrained image.</summary>
    public static int UnconstrainedEventDim(LatentSite site) => site.UnconstrainedShape.Length - site.BatchRank;
}
