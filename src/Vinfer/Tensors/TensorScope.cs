namespace Vinfer.Tensors;

/// <summary>
/// A region whose intermediate tensors take their buffers from a pool and give them back when the scope is disposed.
/// Wrap one optimization step in a scope and steady-state steps allocate (almost) nothing:
/// <code>
/// using (var scope = new TensorScope()) { var loss = Model(theta); loss.Backward(); }
/// </code>
/// Tensors created inside the scope must not be used after it ends (they throw); <see cref="Keep"/> lets one escape.
/// Leaf gradients (<see cref="Tensor.Grad"/> of parameters) are never scoped. Scopes nest and are per thread.
/// </summary>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? _current;

    /// <summary>Owned-tensor lists of ended scopes, reused so that opening a scope every step allocates no list.</summary>
    [ThreadStatic] private static Stack<List<Tensor>>? _spareLists;

    private const int MaxSpareLists = 8, MaxSpareCapacity = 1 << 16;

    private readonly TensorScope? _parent;
    private readonly List<Tensor> _owned;
    private readonly BufferPool<double> _pool;
    private List<float[]>? _singles;
    private bool _disposed;

    /// <summary>Opens a scope on the calling thread.</summary>
    public TensorScope()
    {
        _parent = _current;
        _owned = _spareLists is { Count: > 0 } spare ? spare.Pop() : new List<Tensor>();
        _pool = BufferPool<double>.Current;
        _current = this;
    }

    /// <summary>The innermost open scope on this thread, or null.</summary>
    internal static TensorScope? Current => _current;

    internal double[] Rent(int length) => _pool.Rent(length);

    internal void Register(Tensor t) => _owned.Add(t);

    /// <summary>A float32 work buffer (of the float32 network kernels) given back to the pool when the scope ends.</summary>
    internal float[] RentSingle(int length)
    {
        var buffer = BufferPool<float>.Current.Rent(length);
        (_singles ??= []).Add(buffer);
        return buffer;
    }

    /// <summary>
    /// Lets a tensor outlive this scope: it moves to the enclosing scope, or to the garbage collector when there is none.
    /// A tensor that shares another's buffer (a reshape view) is copied first. Returns the tensor to use afterwards.
    /// </summary>
    public Tensor Keep(Tensor t)
    {
        if (_disposed) throw new ObjectDisposedException(nameof(TensorScope));
        if (!t.OwnsBuffer)
        {
            var previous = _current;
            _current = _parent;
            try { return t.Detach().Clone(); }
            finally { _current = previous; }
        }
        int i = _owned.LastIndexOf(t);
        if (i >= 0)
        {
            _owned[i] = _owned[^1];
            _owned.RemoveAt(_owned.Count - 1);
            t.Scope = _parent;
            _parent?.Register(t);
        }
        return t;
    }

    /// <summary>Releases every tensor this scope owns and returns their buffers to the pool.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_current != this) throw new InvalidOperationException("TensorScope disposed out of order: inner scopes must end first.");
        _current = _parent;
        foreach (var t in _owned) t.ReleaseTo(_pool);
        _owned.Clear();
        if (_singles is not null)
        {
            var singles = BufferPool<float>.Current;
            foreach (var b in _singles) singles.Return(b);
            _singles.Clear();
        }
        var spare = _spareLists ??= new Stack<List<Tensor>>();
        if (spare.Count < MaxSpareLists && _owned.Capacity <= MaxSpareCapacity) spare.Push(_owned);
    }
}
