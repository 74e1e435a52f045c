using Vinfer.Distributions;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Modeling.Handlers;

/// <summary>
/// Loc-scale decentering of named latent sites (NumPyro's <c>reparam</c> handler with <c>LocScaleReparam(centered=0)</c>;
/// Gorinova, Moore and Hoffman, "Automatic Reparameterisation of Probabilistic Programs", ICML 2020). A latent site
/// <c>x ~ D(loc, scale)</c> of a location-scale family becomes a latent <c>x_decentered ~ D(0, 1)</c> (same batch and
/// event shape, same plates, same shape parameters such as Student-t's degrees of freedom) and a deterministic site
/// <c>x = loc + scale · x_decentered</c>, so inference sees the non-centred geometry (a hierarchical model's funnel
/// becomes a product of unit scales) while the results still report x. The log joint changes only by the Jacobian
/// log|scale| that makes the two densities agree: p(x_decentered) = p(x) · |scale|, so the model is the same.
/// Wrap the model (<see cref="Decenter"/>) so that the handler sits inside every inference handler (the guide, the
/// particle plate and the trace see <c>x_decentered</c>, never the centred <c>x</c>) and outside the model's own plates.
/// </summary>
public sealed class LocScaleReparamMessenger : Messenger
{
    /// <summary>The suffix of the new latent site (NumPyro's naming).</summary>
    public const string Suffix = "_decentered";

    private readonly HashSet<string> _sites;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    /// <summary>Decenters the latent sites named in <paramref name="sites"/>.</summary>
    public LocScaleReparamMessenger(IEnumerable<string> sites)
    {
        ArgumentNullException.ThrowIfNull(sites);
        _sites = new HashSet<string>(sites, StringComparer.Ordinal);
    }

    /// <summary>The sites asked for that this handler has decentred so far.</summary>
    public IReadOnlyCollection<string> Decentered => _seen;

    /// <inheritdoc/>
    protected internal override void ProcessMessage(Site site)
    {
        if (site.Kind != SiteKind.Sample || !_sites.Contains(site.Name)) return;
        if (site.IsObserved)
            throw new ArgumentException($"Decentering: site '{site.Name}' is observed; only latent sites can be decentred.");
        if (site.IsAuxiliary) return;
        var distribution = site.Distribution!;
        var (standard, loc, scale) = Standardize(distribution, site.Name);
        // the decentred draw goes through the whole stack (inner plates, the guide's replay, the trace) like any latent
        var z = Sample(site.Name + Suffix, standard);
        var value = loc + scale * z;
        _seen.Add(site.Name);
        site.Value = value;
        // the centred site is no longer a random variable: outer handlers see it only as the deterministic below
        site.Stop = true;
        Deterministic(site.Name, value);
    }

    /// <summary>
    /// D(0, 1) with the shapes of <paramref name="d"/>, and loc and scale to map its draws back, through
    /// <see cref="Independent"/> and <see cref="ExpandedDistribution"/> wrappers.
    /// </summary>
    private static (Distribution Standard, Tensor Loc, Tensor Scale) Standardize(Distribution d, string name)
    {
        switch (d)
        {
            case Independent i:
                var (s, l, c) = Standardize(i.BaseDistribution, name);
                return (new Independent(s, i.ReinterpretedBatchDims), l, c);
            case ExpandedDistribution e:
                var (es, el, ec) = Standardize(e.BaseDistribution, name);
                return (es.Expand(e.BatchShape), el, ec);
            case Normal n: return (new Normal(Tensor.Zeros(n.BatchShape), Tensor.Ones(n.BatchShape)), n.Loc, n.Scale);
            case StudentT t: return (new StudentT(t.Df.Expand(t.BatchShape), Tensor.Zeros(t.BatchShape), Tensor.Ones(t.BatchShape)), t.Loc, t.Scale);
            case Cauchy y: return (new Cauchy(Tensor.Zeros(y.BatchShape), Tensor.Ones(y.BatchShape)), y.Loc, y.Scale);
            case Laplace a: return (new Laplace(Tensor.Zeros(a.BatchShape), Tensor.Ones(a.BatchShape)), a.Loc, a.Scale);
            case Logistic g: return (new Logistic(Tensor.Zeros(g.BatchShape), Tensor.Ones(g.BatchShape)), g.Loc, g.Scale);
            case Gumbel u: return (new Gumbel(Tensor.Zeros(u.BatchShape), Tensor.Ones(u.BatchShape)), u.Loc, u.Scale);
            default:
                throw new ArgumentException($"Decentering: site '{name}' has a {d.Name} distribution, not a location-scale family (normal, student-t, cauchy, laplace, logistic, gumbel).");
        }
    }

    /// <summary>
    /// <paramref name="model"/> with the latent sites <paramref name="sites"/> decentred. The model is traced once
    /// from its prior (seed 0) to check the names: an unknown site, an observed one or one outside the location-scale
    /// families gives one <see cref="ArgumentException"/> naming it (prefixed by <paramref name="what"/>, e.g. the
    /// command-line option).
    /// </summary>
    public static Action Decenter(Action model, IReadOnlyCollection<string> sites, string what = "Decenter")
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sites);
        if (sites.Count == 0) throw new ArgumentException($"{what}: no site named.");
        var check = new LocScaleReparamMessenger(sites);
        Trace trace;
        try
        {
            using (new ParamStore().Use())
            using (Handle.Seed(0))
            {
                var tracer = new TraceMessenger();
                using (tracer.Enter())
                using (check.Enter())
                    model();
                trace = tracer.Trace;
            }
        }
        catch (ArgumentException e) when (e.Message.StartsWith("Decentering:", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{what}: {e.Message["Decentering: ".Length..]}");
        }
        foreach (var name in sites)
        {
            if (check.Decentered.Contains(name)) continue;
            var latents = trace.Sites.Where(s => s.IsLatent).Select(s => s.Name).ToList();
            throw new ArgumentException($"{what}: the model has no latent site '{name}' (its latent sites: {string.Join(", ", latents)}).");
        }
        var names = sites.ToArray();
        return () =>
        {
            using (new LocScaleReparamMessenger(names).Enter()) model();
        };
    }
}
