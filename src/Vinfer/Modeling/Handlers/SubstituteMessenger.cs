using Vinfer.Tensors;

namespace Vinfer.Modeling.Handlers;

/// <summary>
/// Gives the named sample and param sites fixed values without making them observed (Pyro's <c>substitute</c>):
/// a latent stays latent, its log-density is evaluated at the substituted value.
/// </summary>
public sealed class SubstituteMessenger : Messenger
{
    private readonly Func<Site, Tensor?> _values;

    /// <summary>Substitutes values by site name.</summary>
    public SubstituteMessenger(IReadOnlyDictionary<string, Tensor> values) => _values = s => values.TryGetValue(s.Name, out var v) ? v : null;

    /// <summary>Substitutes whatever the function returns (null leaves the site alone).</summary>
    public SubstituteMessenger(Func<Site, Tensor?> values) => _values = values;

    /// <inheritdoc/>
    protected internal override void ProcessMessage(Site site)
    {
        if (site.Kind is not (SiteKind.Sample or SiteKind.Param) || site.IsObserved) return;
        if (_values(site) is { } v) site.Value = v;
    }
}
