namespace Vinfer.Distributed;

/// <summary>
/// The rows a process owns: rows <see cref="Start"/> … <see cref="Start"/> + <see cref="Count"/> − 1 of
/// <see cref="Total"/>. <see cref="Share"/> splits N rows over P processes in contiguous blocks whose sizes differ by
/// at most one (the first N mod P ranks take one more), so row i's owner depends on P but the global index of every
/// row never does.
/// </summary>
public readonly record struct RowRange(int Start, int Count, int Total)
{
    /// <summary>One past the last row owned.</summary>
    public int End => Start + Count;

    /// <summary>All of <paramref name="total"/> rows (the single-process share).</summary>
    public static RowRange All(int total) => new(0, total, total);

    /// <summary>
    /// Rank <paramref name="rank"/>'s block of <paramref name="total"/> rows split over <paramref name="size"/> ranks.
    /// Throws naming the numbers when there are more ranks than rows (a rank would own nothing).
    /// </summary>
    public static RowRange Share(int total, int rank, int size)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), size, "RowRange.Share: the number of ranks must be at least 1.");
        if (rank < 0 || rank >= size) throw new ArgumentOutOfRangeException(nameof(rank), rank, $"RowRange.Share: rank must be in 0…{size - 1}.");
        if (total < size)
            throw new ArgumentException($"more ranks than rows: {size} ranks for {total} rows; every rank needs at least one row (use at most {total} ranks).", nameof(size));
        int baseCount = total / size, extra = total % size;
        int start = rank * baseCount + Math.Min(rank, extra);
        return new RowRange(start, baseCount + (rank < extra ? 1 : 0), total);
    }
}
