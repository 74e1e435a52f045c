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

    /// <summary>Lengths up to this use an array of stacks indexed by length instead of the dictionary (tiny tensors are the per-op-overhead case).</summary>
    private const int SmallLimit = 64;

    private readonly Stack<double[]>?[] _small = new Stack<double[]>?[SmallLimit + 1];

    /// <summary>A buffer of exactly <paramref name="length"/> elements, with unspecified contents.</summary>
    public double[] Rent(int length)
    {
        if (length == 0) return Array.Empty<double>();
        var stack = (uint)length <= SmallLimit ? _small[length] : _buckets.GetValueOrDefault(length);
        if (stack is not null && stack.TryPop(out var buffer))
        {
            _pooledBytes -= 8L * length;
            return buffer;
        }
        return length <= SmallLimit ? new double[length] : GC.AllocateUninitializedArray<double>(length);
    }

    /// <summary>Gives a buffer back for reuse.</summary>
    public void Return(double[] buffer)
    {
        int length = buffer.Length;
        if (length == 0 || _pooledBytes + 8L * length > MaxPooledBytes) return;
        Stack<double[]>? stack;
        if (length <= SmallLimit) stack = _small[length] ??= new Stack<double[]>();
        else if (!_buckets.TryGetValue(length, out stack))
        {
            stack = new Stack<double[]>();
            _buckets[length] = stack;
        }
        stack.Push(buffer);
        _pooledBytes += 8L * length;
    }

    /// <summary>Drops every pooled buffer (for tests and for releasing memory after a large job).</summary>
    public void Clear()
    {
        _buckets.Clear();
        Array.Clear(_small);
        _pooledBytes = 0;
    }
}
