namespace Vinfer.Tensors;

/// <summary>
/// Per-thread pool of exact-length buffers (double for tensors, float for the float32 network kernels). An optimization loop rebuilds the same graph every step, so the
/// same lengths come back each step; exact-length buckets then make steady-state steps allocation-free without the
/// up-to-2x waste of power-of-two buckets on large arrays.
/// </summary>
internal sealed class BufferPool<T> where T : unmanaged
{
    [ThreadStatic] private static BufferPool<T>? _current;

    /// <summary>The calling thread's pool.</summary>
    public static BufferPool<T> Current => _current ??= new BufferPool<T>();

    /// <summary>Pooled bytes above which returned buffers are dropped to the GC instead of kept.</summary>
    public const long MaxPooledBytes = 4L << 30;

    private static readonly long ElementBytes = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

    private readonly Dictionary<int, Stack<T[]>> _buckets = new();
    private long _pooledBytes;

    /// <summary>Lengths up to this use an array of stacks indexed by length instead of the dictionary (tiny tensors are the per-op-overhead case).</summary>
    private const int SmallLimit = 64;

    private readonly Stack<T[]>?[] _small = new Stack<T[]>?[SmallLimit + 1];

    /// <summary>A buffer of exactly <paramref name="length"/> elements, with unspecified contents.</summary>
    public T[] Rent(int length)
    {
        if (length == 0) return Array.Empty<T>();
        var stack = (uint)length <= SmallLimit ? _small[length] : _buckets.GetValueOrDefault(length);
        if (stack is not null && stack.TryPop(out var buffer))
        {
            _pooledBytes -= ElementBytes * length;
            return buffer;
        }
        return length <= SmallLimit ? new T[length] : GC.AllocateUninitializedArray<T>(length);
    }

    /// <summary>Gives a buffer back for reuse.</summary>
    public void Return(T[] buffer)
    {
        int length = buffer.Length;
        if (length == 0 || _pooledBytes + ElementBytes * length > MaxPooledBytes) return;
        Stack<T[]>? stack;
        if (length <= SmallLimit) stack = _small[length] ??= new Stack<T[]>();
        else if (!_buckets.TryGetValue(length, out stack))
        {
            stack = new Stack<T[]>();
            _buckets[length] = stack;
        }
        stack.Push(buffer);
        _pooledBytes += ElementBytes * length;
    }

    /// <summary>Drops every pooled buffer (for tests and for releasing memory after a large job).</summary>
    public void Clear()
    {
        _buckets.Clear();
        Array.Clear(_small);
        _pooledBytes = 0;
    }
}
