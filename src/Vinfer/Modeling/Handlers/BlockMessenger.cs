namespace Vinfer.Modeling.Handlers;

/// <summary>
/// Hides sites from the handlers outside it (Pyro's <c>block</c>): by default all, or those the predicate selects.
/// Inner handlers still see them and the sites still get values.
/// </summary>
public sealed class BlockMessenger(Func<Site, bool>? hide = null) : Messenger
{
    /// <summary>Hides exactly the named sites.</summary>
    public static BlockMessenger Hiding(params string[] names)
    {
        var set = new HashSet<string>(names, StringComparer.Ordinal);
        return new BlockMessenger(s => set.Contains(s.Name));
    }

    /// <summary>Hides every site except the named ones.</summary>
    public static BlockMessenger Exposing(params string[] names)
    {
        var set = new HashSet<string>(names, StringComparer.Ordinal);
        return new BlockMessenger(s => !set.Contains(s.Name));
    }

    /// <inheritdoc/>
    protected internal override void ProcessMessage(Site site)
    {
        if (hide is null || hide(site)) site.Stop = true;
    }
}
