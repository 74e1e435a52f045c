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

    // Drops values from count on, releasing whole chunks no longer used.
    public void Truncate(long count)
    {
        Count = count;
        int keep = (int)((count + ChunkSize - 1) >> ChunkBits);
        if (_chunks.Count > keep) _chunks.RemoveRange(keep, _chunks.Count - keep);
    }
}
