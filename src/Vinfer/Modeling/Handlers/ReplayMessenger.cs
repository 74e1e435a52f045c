namespace Vinfer.Modeling.Handlers;

/// <summary>
/// Gives each latent sample site the value the same-named site had in another trace, typically the guide's
/// (Pyro's <c>replay</c>); subsample indices are replayed too, so the model's plates use the guide's subsample.
/// Auxiliary sites of the source trace are replayed only with <paramref name="includeAuxiliary"/> (used to re-run a
/// guide on its own draws, as sticking-the-landing does).
/// </summary>
public sealed class ReplayMessenger(Trace source, bool includeAuxiliary = false) : Messenger
{
    /// <inheritdoc/>
    protected internal override void ProcessMessage(Site site)
    {
        if (site.IsObserved || site.Kind is not (SiteKind.Sample or SiteKind.Subsample)) return;
        if (!source.TryGet(site.Name, out var s) || (s.IsAuxiliary && !includeAuxiliary) || s.Kind != site.Kind) return;
        site.Value = s.Value;
    }
}
