using System.Text.Json.Nodes;
using Vinfer.Distributions;
using Vinfer.Modeling;
using Vinfer.Tensors;

namespace Vinfer.Guides;

/// <summary>
/// The guide of <see cref="BlockFamily"/>: the global family's guide over the global latents (the same parameters and
/// draws on every process; their gradient is the full-data gradient because the model sums its local terms over the
/// processes), then for each local latent site a mean-field normal over this process's rows only, parameters
/// <see cref="BlockFamily.LocationName"/> (initialised at 0) and <see cref="BlockFamily.ScaleName"/> (at
/// <see cref="InitScale"/>), each of length <see cref="Distributed.RowRange.Count"/>. Their gradient comes from the
/// process's own rows only and is not summed over processes; the process's store never holds another process's rows.
/// The local draws come from <see cref="RowBlockNormal"/>, keyed by global row, so they do not depend on the number of
/// processes. <see cref="AutoGuide.Latents"/> describes the whole posterior: a local site has its global length there.
/// </summary>
public sealed class BlockGuide : AutoGuide
{
    private readonly AutoGuide _global;
    private readonly IReadOnlyList<string> _localLatents;

    /// <summary>The block guide of <paramref name="family"/> for <paramref name="model"/> (bound to this process's rows).</summary>
    public BlockGuide(Action model, BlockFamily family, FamilyOptions options)
        : this(Split(model, family), family, options) { }

    private BlockGuide((IReadOnlyList<LatentSite> Whole, IReadOnlyList<LatentSite> Global, IReadOnlyList<string> Local, int MaxPlateNesting) split, BlockFamily family, FamilyOptions options)
        : base(split.Whole, split.MaxPlateNesting, "BlockGuide")
    {
        BlockFamily = family;
        _localLatents = split.Local;
        var settings = new JsonObject { ["rank"] = options.Rank };
        _global = family.Global.Load(split.Global, split.MaxPlateNesting, family.Global.FileFamily, settings);
    }

    /// <summary>The family (its local sites, rows and communicator).</summary>
    public BlockFamily BlockFamily { get; }

    /// <summary>The guide over the global latents.</summary>
    public AutoGuide GlobalGuide => _global;

    /// <summary>The local latent sites (each with a block over the own rows).</summary>
    public IReadOnlyList<string> LocalLatents => _localLatents;

    /// <summary>The initial standard deviation of every local coordinate (as <see cref="AutoNormal"/>'s default).</summary>
    public double InitScale { get; } = 0.1;

    /// <inheritdoc/>
    public override string Family => "BlockGuide";

    /// <inheritdoc/>
    protected override void CreateParameters()
    {
        _global.InitializeParameters();
        foreach (var site in _localLatents) { Location(site); Scale(site); }
    }

    /// <inheritdoc/>
    protected override void Body()
    {
        _global.Run();
        foreach (var site in _localLatents)
            Primitives.Sample(site, new RowBlockNormal(Location(site), Scale(site), BlockFamily.Rows, BlockFamily.Communicator));
    }

    private Tensor Location(string site) => Primitives.Param(BlockFamily.LocationName(site), () => Tensor.Zeros(BlockFamily.Rows.Count));

    private Tensor Scale(string site) => Primitives.Param(BlockFamily.ScaleName(site), () => Tensor.Full(InitScale, BlockFamily.Rows.Count), Constraints.Positive);

    /// <summary>
    /// The model's latents split into global and local (checked: every local latent is a real vector over the own
    /// rows, with no plate); the whole list with the local sites at their global length.
    /// </summary>
    private static (IReadOnlyList<LatentSite>, IReadOnlyList<LatentSite>, IReadOnlyList<string>, int) Split(Action model, BlockFamily family)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(family);
        var prototype = ModelPrototype.Capture(model);
        var whole = new List<LatentSite>();
        var global = new List<LatentSite>();
        var local = new List<string>();
        foreach (var site in prototype.Latents)
        {
            if (!family.LocalSites.Contains(site.Name))
            {
                whole.Add(site);
                global.Add(site);
                continue;
            }
            var distribution = prototype.Trace[site.Name].Distribution;
            if (site.Shape.Length != 1 || site.Shape[0] != family.Rows.Count || site.Frames.Count != 0 || distribution is not (RowBlockNormal or ExpandedDistribution { BaseDistribution: RowBlockNormal }))
                throw new ArgumentException($"BlockGuide: local latent '{site.Name}' must be drawn from a RowBlockNormal over the {family.Rows.Count} rows owned, outside any plate; it has shape [{string.Join(", ", site.Shape)}] and {site.Frames.Count} plates.", nameof(model));
            whole.Add(site with { Shape = [family.Rows.Total], UnconstrainedShape = [family.Rows.Total] });
            local.Add(site.Name);
        }
        if (global.Count == 0) throw new ArgumentException("BlockGuide: the model has no global latent (every latent is local).", nameof(model));
        foreach (var name in family.LocalSites)
            if (!prototype.Trace.Contains(name)) throw new ArgumentException($"BlockGuide: the model has no site '{name}' (named local).", nameof(family));
        return (whole, global, local, prototype.MaxPlateNesting);
    }
}
