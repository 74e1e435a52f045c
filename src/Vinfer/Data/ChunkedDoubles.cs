namespace Vinfer.Data;

/// <summary>
/// A growable sequence of doubles in 8 MB chunks: growing never copies what is already stored, so a reader that does
/// not know its row count in advance holds the data once (plus at most one chunk) until it copies it out.
/// </summary>
internal sealed class ChunkedDoubles
{
    private const int ChunkBits = 20, ChunkSize = 1 << ChunkBits;
    private readonly List<double[]> _chunks = [];
    public long Count { get; private set; }

    public void Add(double value)
    {
        int chunk = (int)(Count >> ChunkBits), offset = (int)(Count & (ChunkSize - 1));
        if (chunk == _chunks.Count) _chunks.Add(GC.AllocateUninitializedArray<double>(ChunkSize));
        _chunks[chunk][offset] = value;
        Count++;
    }

    public void CopyTo(long start, Span<double> destination)
    {
        long position = start;
        int done = 0;
        while (done < destination.Length)
        {
            int chunk = (int)(position >> ChunkBits), offset = (int)(position & (ChunkSize - 1));
            int take = Math.Min(ChunkSize - offset, destination.Length - done);
            _chunks[chunk].AsSpan(offset, take).CopyTo(destination[done..]);
            done += take;
            position += take;
        }
    }

    /// <summary>
    /// Moves the values from <paramref name="start"/> on into <paramref name="destination"/> and drops them, releasing
    /// each chunk as soon as it is copied and collecting every <paramref name="collectEvery"/> bytes moved: the
    /// destination's pages become resident only as they are written, so the values are held about once, not twice.
    /// </summary>
    public void MoveTo(long start, double[] destination, long collectEvery)
    {
        long position = start, sinceCollection = 0;
        int done = 0;
        while (done < destination.Length)
        {
            int chunk = (int)(position >> ChunkBits), offset = (int)(position & (ChunkSize - 1));
            int take = Math.Min(ChunkSize - offset, destination.Length - done);
            _chunks[chunk].AsSpan(offset, take).CopyTo(destination.AsSpan(done));
            done += take;
            position += take;
            // a chunk wholly past start is no longer needed once copied
            if (offset + take == ChunkSize && (long)chunk << ChunkBits >= start) _chunks[chunk] = [];
            sinceCollection += take * sizeof(double);
            if (sinceCollection >= collectEvery)
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
                sinceCollection = 0;
            }
        }
        Truncate(start);
    }

    // Drops values from count on but keeps the chunks for the values added next (a skipped row is dropped this way, so
    // skipping rows at a chunk's start does not allocate a chunk per row).
    public void Rewind(long count) => Count = count;

    // Drops values from count on, releasing whole chunks no longer used.
    public void Truncate(long count)
    {
        Count = count;
        int keep = (int)((count + ChunkSize - 1) >> ChunkBits);
        if (_chunks.Count > keep) _chunks.RemoveRange(keep, _chunks.Count - keep);
    }
}
