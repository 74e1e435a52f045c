namespace Vinfer.Modeling;

/// <summary>
/// An effect handler (Pyro's <c>Messenger</c>): while active (between <see cref="Enter"/> and <see cref="Dispose"/>)
/// it sees every message a primitive sends, innermost handler first, and may rewrite it. Handlers are per thread and
/// must be exited in the reverse order they were entered, which <c>using</c> guarantees:
/// <code>using (new SeedMessenger(1).Enter()) using (var tr = new TraceMessenger().Enter()) { model(); }</code>
/// </summary>
/// <remarks>Design after Pyro's poutine (Bingham et al., "Pyro: Deep universal probabilistic programming", JMLR 2019).</remarks>
public abstract class Messenger : IDisposable
{
    private bool _active;

    /// <summary>
    /// Pushes this handler on the calling thread's stack; returns it for <c>using</c>. Entry is transactional: when
    /// <see cref="OnEnter"/> throws, the handler is taken off the stack again, <see cref="OnEnterFailed"/> releases
    /// what it took, and the original exception propagates (the caller's <c>using</c> never got the handler, so
    /// nothing else would undo the push and outer handlers would then fail to exit).
    /// </summary>
    public Messenger Enter()
    {
        if (_active) throw new InvalidOperationException($"{GetType().Name} is already active; a handler can be entered once at a time.");
        HandlerStack.Push(this);
        _active = true;
        try
        {
            OnEnter();
        }
        catch
        {
            _active = false;
            HandlerStack.Abandon(this);
            OnEnterFailed();
            throw;
        }
        return this;
    }

    /// <summary>Pops this handler; it must be the innermost one.</summary>
    public void Dispose()
    {
        if (!_active) return;
        HandlerStack.CheckInnermost(this);
        _active = false;
        try { OnExit(); }
        finally { HandlerStack.Pop(this); }
    }

    /// <summary>Runs when the handler becomes active.</summary>
    protected virtual void OnEnter() { }

    /// <summary>
    /// Runs after <see cref="OnEnter"/> threw and the handler left the stack: undo any state OnEnter took (it must
    /// not throw, or it would hide the original error).
    /// </summary>
    protected virtual void OnEnterFailed() { }

    /// <summary>Runs when the handler stops being active.</summary>
    protected virtual void OnExit() { }

    /// <summary>Sees the message on its way in (innermost handler first); may set its value or stop it.</summary>
    protected internal virtual void ProcessMessage(Site site) { }

    /// <summary>Sees the message after the value is known (outermost handler that saw it first).</summary>
    protected internal virtual void PostprocessMessage(Site site) { }
}
