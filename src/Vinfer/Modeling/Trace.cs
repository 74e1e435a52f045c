using Vinfer.Tensors;

using Vinfer.Tensors.Kernels;

namespace Vinfer.Modeling;

/// <summary>
/// The record of one run of a model or guide: its sites in execution order, by name (Pyro's <c>Trace</c>).
/// Sample sites with the same name in one run are an error; a plate opened twice records its indices once.
/// </summary>
public sealed class Trace
{
    private readonly Dictionary<string, Site> _byName = new(StringComparer.Ordinal);
    private readonly List<Site> _sites = new();

    /// <summary>The sites in the order they ran.</summary>
    public IReadOnlyList<Site> Sites => _sites;

    /// <summary>The site with this name.</summary>
    public Site this[string name] => _byName.TryGetValue(name, out var s) ? s
        : throw new KeyNotFoundException($"Trace has no site named '{name}'.");

    /// <summary>True when a site of this name was recorded.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The site with this name, if any.</summary>
    public bool TryGet(string name, out Site site) => _byName.TryGetValue(name, out site!);

    /// <summary>Unobserved, non-auxiliary sample sites.</summary>
    public IEnumerable<Site> Latents => _sites.Where(s => s.IsLatent);

    /// <summary>Sample sites whose value is data.</summary>
    public IEnumerable<Site> Observed => _sites.Where(s => s.Kind == SiteKind.Sample && s.IsObserved);

    /// <summary>All sample sites (latent, observed and auxiliary).</summary>
    public IEnumerable<Site> SampleSites => _sites.Where(s => s.Kind == SiteKind.Sample);

    internal void Add(Site site)
    {
        if (_byName.TryGetValue(site.Name, out var existing))
        {
            if (site.Kind == SiteKind.Subsample && existing.Kind == SiteKind.Subsample) return;
            if (site.Kind == SiteKind.Param && existing.Kind == SiteKind.Param) return;
            throw new InvalidOperationException($"Site name '{site.Name}' is used twice in one run ({existing.Kind} and {site.Kind}); site names must be unique.");
        }
        _byName.Add(site.Name, site);
        _sites.Add(site);
    }

    /// <summary>
    /// Computes each sample site's log-density at its value, times its scale, keeping the batch shape
    /// (sites whose log-density is already known keep it).
    /// </summary>
    public void ComputeLogProbs()
    {
        foreach (var s in _sites)
        {
            if (s.Kind != SiteKind.Sample || s.LogProb is not null) continue;
            var lp = s.Distribution!.LogProb(s.Value!);
            s.LogProb = s.Scale == 1.0 ? lp : lp * s.Scale;
        }
    }

    /// <summary>The sum of all sample sites' scaled log-densities (a scalar).</summary>
    public Tensor LogProbSum()
    {
        ComputeLogProbs();
        Tensor? total = null;
        foreach (var s in _sites)
        {
            if (s.Kind != SiteKind.Sample) continue;
            var v = s.LogProb!.Sum();
            total = total is null ? v : total + v;
        }
        return total ?? Tensor.Scalar(0.0);
    }

    /// <summary>
    /// Per-particle sums of the sample sites' scaled log-densities, for a trace run under a particle plate of
    /// <paramref name="particles"/> entries at batch dimension <paramref name="particleDim"/> (negative): shape [S].
    /// Every sample site's log-density must have that dimension (the plate puts it there).
    /// </summary>
    public Tensor LogProbPerParticle(int particles, int particleDim, Func<Site, bool>? include = null)
    {
        ComputeLogProbs();
        Tensor? total = null;
        foreach (var s in _sites)
        {
            if (s.Kind != SiteKind.Sample || (include is not null && !include(s))) continue;
            var v = ParticleSum(s.LogProb!, particles, particleDim, s.Name);
            total = total is null ? v : total + v;
        }
        return total ?? Tensor.Zeros(particles);
    }

    /// <summary>Sums a batch-shaped log-density over every dimension except the particle dimension: shape [S].</summary>
    internal static Tensor ParticleSum(Tensor logProb, int particles, int particleDim, string siteName)
    {
        int rank = logProb.Rank;
        int at = rank + particleDim;
        if (at != 0 || logProb.Shape[0] != particles)
            throw new InvalidOperationException(
                $"Site '{siteName}': log-density of shape {Shapes.Format(logProb.Shape)} does not have the particle dimension ({particles}) " +
                $"leftmost at batch dim {particleDim}; dimensions left of all plates must be declared event dimensions (ToEvent), " +
                "or more plates are nested than the model declared.");
        return rank == 1 ? logProb : logProb.Reshape(particles, -1).Sum(1);
    }
}
