using Vinfer.Tensors;

namespace Vinfer.Modeling;

/// <summary>
/// The per-thread stack of active handlers and the dispatch of one message through it (Pyro's <c>apply_stack</c>):
/// process innermost to outermost until a handler stops the message, compute the default value if none was set,
/// then postprocess in the reverse order.
/// </summary>
internal static class HandlerStack
{
    [ThreadStatic] private static List<Messenger>? _stack;

    private static List<Messenger> Stack => _stack ??= new List<Messenger>();

    internal static void Push(Messenger m) => Stack.Add(m);

    internal static void CheckInnermost(Messenger m)
    {
        var s = Stack;
        if (s.Count == 0 || !ReferenceEquals(s[^1], m))
            throw new InvalidOperationException($"{m.GetType().Name} exited out of order: inner handlers must be disposed first.");
    }

    internal static void Pop(Messenger m)
    {
        var s = Stack;
        if (s.Count == 0 || !ReferenceEquals(s[^1], m))
            throw new InvalidOperationException($"{m.GetType().Name} exited out of order: inner handlers must be disposed first.");
        s.RemoveAt(s.Count - 1);
    }

    internal static void Apply(Site site)
    {
        var s = Stack;
        int visited = 0;
        for (int i = s.Count - 1; i >= 0; i--)
        {
            visited++;
            s[i].ProcessMessage(site);
            if (site.Stop) break;
        }
        if (site.Value is null) DefaultValue(site);
        for (int i = s.Count - visited; i < s.Count; i++) s[i].PostprocessMessage(site);
    }

    private static void DefaultValue(Site site)
    {
        switch (site.Kind)
        {
            case SiteKind.Sample:
                var rng = site.Random ?? throw new InvalidOperationException(
                    $"Sample site '{site.Name}' needs a random draw but no seed is set: run the model under a SeedMessenger (Handle.Seed).");
                var d = site.Distribution!;
                site.Value = d.HasRSample ? d.RSample(rng, []) : d.Sample(rng, []);
                break;
            case SiteKind.Param:
                site.Value = ParamStore.Current.Get(site.Name, site.Init, site.Constraint);
                break;
            case SiteKind.Subsample:
                var (size, k) = site.SubsampleSizes;
                if (k == size) { site.Value = Tensor.Arange(size); break; }
                var stream = site.Random ?? throw new InvalidOperationException(
                    $"Plate '{site.Name}' subsamples {k} of {size} but no seed is set: run the model under a SeedMessenger (Handle.Seed).");
                site.Value = Subsampling.Draw(stream.NextKey(), size, k);
                break;
            default:
                throw new InvalidOperationException($"{site.Kind} site '{site.Name}' reached the end of the handler stack without a value.");
        }
    }
}
