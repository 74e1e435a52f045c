namespace Vinfer.Random;

/// <summary>
/// Runs a sampler's range kernel over [0, count), in parallel chunks when the fill is large. Every sampler's
/// element i depends only on its key and i, so the chunking (and the thread count) never changes the result.
/// </summary>
internal static class ParallelFill
{
    /// <summary>Fills shorter than this run on the calling thread.</summary>
    internal const long MinParallelCount = 65536;

    /// <summary>Work units per parallel chunk.</summary>
    internal const int ChunkCount = 16384;

    [ThreadStatic] private static int maxDegreeOverride;

    /// <summary>
    /// Limits the parallelism of fills started on this thread until disposed (tests compare 1 thread with many).
    /// </summary>
    internal static IDisposable LimitThreads(int maxDegree)
    {
        int previous = maxDegreeOverride;
        maxDegreeOverride = maxDegree;
        return new Restore(previous);
    }

    /// <summary>True when a fill of <paramref name="count"/> units should go through <see cref="Run"/>.</summary>
    internal static bool IsWorthIt(long count, int unitCost = 1) =>
        count * unitCost >= MinParallelCount && MaxDegree > 1;

    private static int MaxDegree => maxDegreeOverride > 0 ? maxDegreeOverride : Environment.ProcessorCount;

    /// <summary>Calls <paramref name="body"/>(start, length) over chunks covering [0, count).</summary>
    internal static void Run(long count, int unitCost, Action<long, int> body)
    {
        int chunk = Math.Max(1, ChunkCount / Math.Max(1, unitCost));
        long chunks = (count + chunk - 1) / chunk;
        var options = new ParallelOptions { MaxDegreeOfParallelism = MaxDegree };
        Parallel.For(0L, chunks, options, c =>
        {
            long start = c * chunk;
            body(start, (int)Math.Min(chunk, count - start));
        });
    }

    private sealed class Restore(int previous) : IDisposable
    {
        public void Dispose() => maxDegreeOverride = previous;
    }
}
