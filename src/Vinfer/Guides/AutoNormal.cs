using System.Text.Json.Nodes;
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
/// With a <see cref="Preconditioner"/> (m, marginal sds s) the parameters describe w and each coordinate is m + s·w
/// (loc m + s·loc, scale s·scale): a diagonal change of coordinates, which keeps the family mean-field.
/// </summary>
public sealed class AutoNormal : AutoGuide
{
    /// <summary>A mean-field guide for <paramref name="model"/>.</summary>
    public AutoNormal(Action model, double initScale = 0.1, string prefix = "AutoNormal") : base(model, prefix)
    {
        if (!(initScale > 0)) throw new ArgumentOutOfRangeException(nameof(initScale), $"AutoNormal: initScale must be positive, got {initScale}.");
        InitScale = initScale;
    }

    /// <summary>A mean-field guide fitted in the diagonal whitening of <paramref name="preconditioner"/> (starting at N(m, diag(s²)) with initial scale 1).</summary>
    public AutoNormal(Action model, GaussianPreconditioner preconditioner, double initScale = 1.0, string prefix = "AutoNormal") : this(model, initScale, prefix)
    {
        Preconditioner = preconditioner ?? throw new ArgumentNullException(nameof(preconditioner));
        preconditioner.CheckDimension(LatentDimension, "AutoNormal");
    }

    internal AutoNormal(IReadOnlyList<LatentSite> latents, int maxPlateNesting, string prefix, GaussianPreconditioner? preconditioner = null)
        : base(latents, maxPlateNesting, prefix)
    {
        Preconditioner = preconditioner;
        preconditioner?.CheckDimension(LatentDimension, "AutoNormal");
    }

    /// <summary>The whitening the parameters live in (its marginal sds), or null.</summary>
    public GaussianPreconditioner? Preconditioner { get; }

    /// <inheritdoc/>
    protected override void WriteSettings(JsonObject settings)
    {
        if (Preconditioner is not null) settings["preconditioner"] = Preconditioner.ToJson();
    }

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
        int offset = 0;
        foreach (var site in Latents)
        {
            var loc = Loc(site);
            var scale = Scale(site);
            if (Preconditioner is { } p)
            {
                int n = site.UnconstrainedCount;
                var shape = site.UnconstrainedShape.ToArray();
                var s = Tensor.FromArray(p.Scales.AsSpan(offset, n).ToArray(), shape);
                loc = Tensor.FromArray(p.Shift.AsSpan(offset, n).ToArray(), shape) + s * loc;
                scale = s * scale;
                offset += n;
            }
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
