using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Modeling.Handlers;

/// <summary>
/// Shorthands that enter a handler for a <c>using</c> block, and run a model under one:
/// <code>
/// using (Handle.Seed(1)) using (Handle.Condition(data)) { var trace = Handle.TraceOf(model); }
/// </code>
/// </summary>
public static class Handle
{
    /// <summary>Enters a <see cref="SeedMessenger"/>.</summary>
    public static IDisposable Seed(ulong seed) => new SeedMessenger(seed).Enter();

    /// <summary>Enters a <see cref="SeedMessenger"/> on a stream.</summary>
    public static IDisposable Seed(RandomStream stream) => new SeedMessenger(stream).Enter();

    /// <summary>Enters a <see cref="ConditionMessenger"/>.</summary>
    public static IDisposable Condition(IReadOnlyDictionary<string, Tensor> data) => new ConditionMessenger(data).Enter();

    /// <summary>Enters a <see cref="SubstituteMessenger"/>.</summary>
    public static IDisposable Substitute(IReadOnlyDictionary<string, Tensor> values) => new SubstituteMessenger(values).Enter();

    /// <summary>Enters a <see cref="ReplayMessenger"/>.</summary>
    public static IDisposable Replay(Trace source) => new ReplayMessenger(source).Enter();

    /// <summary>Enters a <see cref="ScaleMessenger"/>.</summary>
    public static IDisposable Scale(double factor) => new ScaleMessenger(factor).Enter();

    /// <summary>Enters a <see cref="BlockMessenger"/> hiding all sites, or those <paramref name="hide"/> selects.</summary>
    public static IDisposable Block(Func<Site, bool>? hide = null) => new BlockMessenger(hide).Enter();

    /// <summary>Runs <paramref name="model"/> under a trace handler and returns its trace.</summary>
    public static Trace TraceOf(Action model)
    {
        var t = new TraceMessenger();
        using (t.Enter()) model();
        return t.Trace;
    }
}
