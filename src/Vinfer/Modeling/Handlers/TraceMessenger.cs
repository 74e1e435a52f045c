namespace Vinfer.Modeling.Handlers;

/// <summary>Records every site that reaches it into a <see cref="Modeling.Trace"/> (Pyro's <c>trace</c>).</summary>
public sealed class TraceMessenger : Messenger
{
    /// <summary>The sites recorded while the handler was active (a fresh trace each time it is entered).</summary>
    public Trace Trace { get; private set; } = new();

    /// <inheritdoc/>
    protected override void OnEnter() => Trace = new Trace();

    /// <inheritdoc/>
    protected internal override void PostprocessMessage(Site site) => Trace.Add(site);
}
