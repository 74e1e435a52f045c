using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>
/// KL(p ‖ q) = E_p[log p − log q] through one registry of analytic forms keyed by the pair of distribution types,
/// as <c>torch.distributions.kl</c>: the most specific registered pair (walking up both class hierarchies) wins.
/// The analytic forms live beside their distributions (files named KL.P.Q.cs) and are registered in the static
/// constructor here.
/// </summary>
public static class KullbackLeibler
{
    private static readonly Dictionary<(Type, Type), Func<Distribution, Distribution, Tensor>> Registry = [];
    private static readonly Lock Gate = new();

    static KullbackLeibler() => AnalyticDivergences.RegisterAll();

    /// <summary>Registers (or replaces) the analytic KL(p ‖ q) for a pair of distribution types.</summary>
    public static void Register<TP, TQ>(Func<TP, TQ, Tensor> divergence) where TP : Distribution where TQ : Distribution
    {
        lock (Gate) Registry[(typeof(TP), typeof(TQ))] = (p, q) => divergence((TP)p, (TQ)q);
    }

    /// <summary>True when an analytic KL is registered for the pair.</summary>
    public static bool IsRegistered(Distribution p, Distribution q) => Find(p.GetType(), q.GetType()) is not null;

    /// <summary>
    /// The analytic KL(p ‖ q), of the broadcast batch shape; throws <see cref="NotSupportedException"/> naming both
    /// distributions when no analytic form is registered (estimate it by Monte Carlo instead).
    /// </summary>
    public static Tensor Divergence(Distribution p, Distribution q)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(q);
        var f = Find(p.GetType(), q.GetType())
            ?? throw new NotSupportedException($"KullbackLeibler.Divergence: no analytic KL is registered for {p.Name} ‖ {q.Name}; use a Monte Carlo estimate.");
        return f(p, q);
    }

    private static Func<Distribution, Distribution, Tensor>? Find(Type p, Type q)
    {
        lock (Gate)
        {
            for (var tp = p; tp is not null && tp != typeof(object); tp = tp.BaseType)
                for (var tq = q; tq is not null && tq != typeof(object); tq = tq.BaseType)
                    if (Registry.TryGetValue((tp, tq), out var f)) return f;
        }
        return null;
    }
}
