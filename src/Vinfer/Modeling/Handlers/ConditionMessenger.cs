using Vinfer.Tensors;

namespace Vinfer.Modeling.Handlers;

/// <summary>Turns the named sample sites into observed ones with the given values (Pyro's <c>condition</c>).</summary>
public sealed class ConditionMessenger(IReadOnlyDictionary<string, Tensor> data) : Messenger
{
    /// <inheritdoc/>
    protected internal override void ProcessMessage(Site site)
    {
        if (site.Kind != SiteKind.Sample || !data.TryGetValue(site.Name, out var v)) return;
        site.Value = v;
        site.IsObserved = true;
    }
}
