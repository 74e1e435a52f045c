using Vinfer.Modeling;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Nn;

/// <summary>
/// One learnable tensor of a <see cref="Module"/>: its full name in the <see cref="ParamStore"/>, its shape and how
/// its initial value is drawn. <see cref="Value"/> reads it through the effect handlers (so a trace records it and a
/// substitute handler can replace it); <see cref="Leaf"/> gets the store's unconstrained tensor directly.
/// </summary>
public sealed class ModuleParameter
{
    private readonly int[] _shape;
    private readonly Initializer _initializer;
    private readonly int _fanIn, _fanOut;
    private readonly RandomKey _key;
    private readonly Func<Tensor> _init;

    internal ModuleParameter(string name, int[] shape, Initializer initializer, int fanIn, int fanOut, RandomKey key)
    {
        Name = name;
        _shape = (int[])shape.Clone();
        foreach (int d in _shape)
            if (d < 0) throw new ArgumentException($"Parameter '{name}': negative dimension in shape {Module.Format(_shape)}.", nameof(shape));
        Count = _shape.Aggregate(1, (a, b) => a * b);
        _initializer = initializer;
        _fanIn = fanIn;
        _fanOut = fanOut;
        _key = key;
        _init = InitialValue;
    }

    /// <summary>The parameter's name in the store (for example <c>encoder.0.weight</c>).</summary>
    public string Name { get; }

    /// <summary>The shape.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>Number of elements.</summary>
    public int Count { get; }

    /// <summary>
    /// The current value, through <see cref="Primitives.Param(string, Func{Tensor}, Distributions.Constraint?)"/>: created in the
    /// current store from <see cref="InitialValue"/> the first time.
    /// </summary>
    /// <remarks>Inside <see cref="Bind"/> a bound parameter returns its bound value instead, whatever handlers are active.</remarks>
    public Tensor Value => t_bound is { } bound && bound.TryGetValue(Name, out var v) ? v : Primitives.Param(Name, _init);

    [ThreadStatic] private static IReadOnlyDictionary<string, Tensor>? t_bound;

    /// <summary>
    /// Until disposed, <see cref="Value"/> of the parameters named in <paramref name="values"/> returns those tensors
    /// (on this thread; the previous binding is restored on disposal). A flow's conditioner uses it to keep the values
    /// its flow was built with (<see cref="Flows.FlowModule.BindParameters"/>): a trace computes log q after the guide has
    /// returned, outside the handlers (a substitute of detached parameters) that were active when the flow was built.
    /// </summary>
    public static BindingScope Bind(IReadOnlyDictionary<string, Tensor> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var previous = t_bound;
        t_bound = values;
        return new BindingScope(previous);
    }

    /// <summary>Restores the previous binding of <see cref="Bind"/>.</summary>
    public readonly struct BindingScope : IDisposable
    {
        private readonly IReadOnlyDictionary<string, Tensor>? _previous;

        internal BindingScope(IReadOnlyDictionary<string, Tensor>? previous) => _previous = previous;

        /// <inheritdoc/>
        public void Dispose() => t_bound = _previous;
    }

    /// <summary>The store's unconstrained leaf (what optimizers step), created from the initial value if missing.</summary>
    public Tensor Leaf(ParamStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!store.Contains(Name)) store.Get(Name, _init, null);
        return store.GetUnconstrained(Name);
    }

    /// <summary>A fresh copy of the initial value (the same every call: it is drawn from this parameter's own key).</summary>
    public Tensor InitialValue()
    {
        var t = Tensor.Zeros(_shape);
        _initializer.Fill(_key, t.Span, _fanIn, _fanOut);
        return t;
    }

    /// <summary>A key from a stable 64-bit FNV-1a hash of the name (string.GetHashCode is randomized per process).</summary>
    internal static RandomKey KeyFromName(string name)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in name)
        {
            h ^= c;
            h *= 1099511628211UL;
        }
        return new RandomKey(h);
    }
}
