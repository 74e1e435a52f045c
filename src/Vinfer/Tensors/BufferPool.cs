namespace Vinfer.Tensors;

/// <summary>
/// Per-thread pool of exact-length double buffers. An optimization loop rebuilds the same graph every step, so the
/// same lengths come back each step; exact-length buckets then make steady-state steps allocation-free without the
/// up-to-2x waste of power-of-two buckets on large arrays.
/// </summary>
internal sealed class BufferPool
{
    [ThreadStatic] private static BufferPool? _current;

    /// <summary>The calling thread's pool.</summary>
    public static BufferPool Current => _current ??= new BufferPool();

    /// <summary>Pooled bytes above which returned buffers are dropped to the GC instead of kept.</summary>
    public const long MaxPooledBytes = 4L << 30;

    private readonly Dictionary<int, Stack<double[]>> _buckets = new();
    private long _pooledBytes;

    /// <summary>A buffer of exactly <paramref name="length"/> elements, with unspecified contents.</summary>
    public double[] Rent(int length)
    {
        if (length == 0) return Array.Empty<double>();
        if (_buckets.TryGetValue(length, out var stack) && stack.Count > 0)
        {
            _pooledBytes -= 8L * length;
            return stack.Pop();
        }
        return GC.AllocateUninitializedArray<double>(length);
    }

    /// <summary>Gives a buffer back for reuse.</summary>
    public void Return(double[] buffer)
    {
        if (buffer.Length == 0 || _pooledBytes + 8L * buffer.Length > MaxPooledBytes) return;
        if (!_buckets.TryGetValue(buffer.Length, out var stack))
        {
            stack = new Stack<double[]>();
            _buckets[buffer.Length] = stack;
        }
        stack.Push(buffer);
        _pooledBytes += 8L * buffer.Length;
    }

    /// <summary>Drops every pooled buffer (for tests and for releasing memory after a large job).</summary>
    public void Clear()
    {
        _buckets.Clear();
        _pooledBytes = 0;
    }
}
