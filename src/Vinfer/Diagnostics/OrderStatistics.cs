using System.Buffers;

namespace Vinfer.Diagnostics;

/// <summary>
/// The few order statistics a summary's quantiles need, by selection instead of a full sort (Hoare's FIND / Musser's
/// introselect, 1997): one quickselect partitioning serves every requested rank at once, recursing only into the parts
/// that hold a requested rank, so three quantiles of n draws cost O(n) comparisons on average instead of a sort's
/// O(n log n). A recursion deeper than 2 log₂ n + 8 (a pathological pivot sequence) sorts its range instead, which
/// bounds the worst case at O(n log n). The values found are exactly the sorted array's at those ranks.
/// </summary>
public static class OrderStatistics
{
    private const int SmallRange = 16;

    /// <summary>
    /// Rearranges <paramref name="values"/> (no NaN) so that <c>values[r]</c> holds the value an ascending sort would put
    /// there, for each rank r in <paramref name="ranks"/> (ascending, within the span).
    /// </summary>
    public static void Select(Span<double> values, ReadOnlySpan<int> ranks)
    {
        for (int i = 0; i < ranks.Length; i++)
        {
            if ((uint)ranks[i] >= (uint)values.Length) throw new ArgumentOutOfRangeException(nameof(ranks), ranks[i], $"rank outside 0..{values.Length - 1}");
            if (i > 0 && ranks[i] < ranks[i - 1]) throw new ArgumentException("ranks must be ascending", nameof(ranks));
        }
        if (ranks.Length > 0) SelectIn(values, 0, values.Length, ranks, 0, DepthLimit(values.Length));
    }

    /// <summary>
    /// The weighted quantiles of <see cref="PosteriorSummary.ComputeWeighted"/> at ascending
    /// <paramref name="probabilities"/>: the draws in ascending order (ties by their index, as a stable sort), each at
    /// the midpoint of its cumulative weight, interpolated linearly in that midpoint; the first draw below the first
    /// midpoint, the last above the last. Weights are non-negative; NaN draws order first (as <see cref="Array.Sort(Array)"/>).
    /// </summary>
    public static void WeightedQuantiles(ReadOnlySpan<double> draws, ReadOnlySpan<double> weights, ReadOnlySpan<double> probabilities, Span<double> result)
    {
        int n = draws.Length;
        if (n == 0 || weights.Length != n) throw new ArgumentException($"{n} draws and {weights.Length} weights", nameof(weights));
        if (result.Length != probabilities.Length) throw new ArgumentException("one result per probability", nameof(result));
        for (int t = 1; t < probabilities.Length; t++)
            if (!(probabilities[t] >= probabilities[t - 1])) throw new ArgumentException("probabilities must be ascending", nameof(probabilities));
        // pooled: 4,000 draws' items are 96 kB, a large-object-heap array per column otherwise (and a gen-2 collection soon)
        var items = ArrayPool<Item>.Shared.Rent(n);
        var targets = new Target[probabilities.Length];
        for (int t = 0; t < targets.Length; t++) targets[t] = new Target { P = probabilities[t] };
        try
        {
            for (int i = 0; i < n; i++) items[i] = new Item(draws[i], i, weights[i]);
            WeightedSelect(items, 0, n, 0.0, targets, 0, targets.Length, DepthLimit(n));
        }
        finally { ArrayPool<Item>.Shared.Return(items); }
        for (int t = 0; t < targets.Length; t++)
        {
            ref var x = ref targets[t];
            if (!x.HasLo) result[t] = x.HiKey;
            else if (!x.HasHi || x.P == x.LoMid) result[t] = x.LoKey;
            else
            {
                double span = x.HiMid - x.LoMid;
                result[t] = span > 0 ? x.LoKey + (x.P - x.LoMid) / span * (x.HiKey - x.LoKey) : x.HiKey;
            }
        }
    }

    private static int DepthLimit(int n) => 2 * (int)Math.Log2(Math.Max(n, 1)) + 8;

    private static void SelectIn(Span<double> v, int lo, int hi, ReadOnlySpan<int> ranks, int depth, int limit)
    {
        while (true)
        {
            if (hi - lo <= SmallRange || depth > limit)
            {
                v[lo..hi].Sort();
                return;
            }
            depth++;
            double pivot = MedianOfThree(v[lo], v[lo + (hi - lo) / 2], v[hi - 1]);
            // three-way partition: [lo, lt) < pivot, [lt, gt) == pivot, [gt, hi) > pivot (ties end in the middle)
            int lt = lo, i = lo, gt = hi;
            while (i < gt)
            {
                double x = v[i];
                if (x < pivot) { v[i] = v[lt]; v[lt] = x; lt++; i++; }
                else if (x > pivot) { gt--; v[i] = v[gt]; v[gt] = x; }
                else i++;
            }
            int left = 0;
            while (left < ranks.Length && ranks[left] < lt) left++;
            int right = left;
            while (right < ranks.Length && ranks[right] < gt) right++;
            var below = ranks[..left];
            var above = ranks[right..];
            if (below.Length > 0 && above.Length > 0) SelectIn(v, lo, lt, below, depth, limit);
            else if (below.Length > 0) { hi = lt; ranks = below; continue; }
            if (above.Length == 0) return;
            lo = gt;
            ranks = above;
        }
    }

    private static double MedianOfThree(double a, double b, double c)
    {
        if (a > b) (a, b) = (b, a);
        if (b > c) b = c;
        return a > b ? a : b;
    }

    private readonly record struct Item(double Key, int Index, double Weight)
    {
        /// <summary>The strict order of the draws: by value (NaN first), then by index.</summary>
        public bool Precedes(in Item other)
        {
            if (Key < other.Key) return true;
            if (Key > other.Key) return false;
            int c = Key.CompareTo(other.Key);
            return c < 0 || (c == 0 && Index < other.Index);
        }
    }

    private struct Target
    {
        public double P;
        public bool HasLo, HasHi;
        public double LoKey, LoMid, HiKey, HiMid;
    }

    /// <summary>
    /// Resolves <paramref name="targets"/>[a..b) among items[lo..hi), whose cumulative weight starts at
    /// <paramref name="cumulative"/>. Each target keeps the last item whose midpoint is at most p (Lo) and the first
    /// above it (Hi); a pivot is a candidate for one of them, and the part a target recurses into lies between them.
    /// </summary>
    private static void WeightedSelect(Item[] items, int lo, int hi, double cumulative, Target[] targets, int a, int b, int limit)
    {
        if (a == b || lo == hi) return;
        if (hi - lo <= SmallRange || limit < 0)
        {
            var range = items.AsSpan(lo, hi - lo);
            range.Sort(static (x, y) => x.Precedes(y) ? -1 : y.Precedes(x) ? 1 : 0);
            // midpoints are non-decreasing (weights are non-negative): Lo is the last at most p, Hi the first above it
            var mids = new double[range.Length];
            for (int i = 0; i < range.Length; i++)
            {
                mids[i] = cumulative + range[i].Weight / 2;
                cumulative += range[i].Weight;
            }
            for (int t = a; t < b; t++)
            {
                ref var x = ref targets[t];
                int first = 0;
                while (first < mids.Length && mids[first] <= x.P) first++;
                if (first > 0) (x.HasLo, x.LoKey, x.LoMid) = (true, range[first - 1].Key, mids[first - 1]);
                if (first < mids.Length) (x.HasHi, x.HiKey, x.HiMid) = (true, range[first].Key, mids[first]);
            }
            return;
        }
        int middle = lo + (hi - lo) / 2;
        int p = MedianOfThreeIndex(items, lo, middle, hi - 1);
        (items[p], items[hi - 1]) = (items[hi - 1], items[p]);
        var pivot = items[hi - 1];
        int store = lo;
        double below = 0;
        for (int i = lo; i < hi - 1; i++)
        {
            if (items[i].Precedes(pivot))
            {
                below += items[i].Weight;
                (items[i], items[store]) = (items[store], items[i]);
                store++;
            }
        }
        (items[store], items[hi - 1]) = (items[hi - 1], items[store]);
        double pivotMid = cumulative + below + pivot.Weight / 2;
        int split = a;
        while (split < b && targets[split].P < pivotMid) split++;
        for (int t = a; t < split; t++) (targets[t].HasHi, targets[t].HiKey, targets[t].HiMid) = (true, pivot.Key, pivotMid);
        for (int t = split; t < b; t++) (targets[t].HasLo, targets[t].LoKey, targets[t].LoMid) = (true, pivot.Key, pivotMid);
        WeightedSelect(items, lo, store, cumulative, targets, a, split, limit - 1);
        WeightedSelect(items, store + 1, hi, cumulative + below + pivot.Weight, targets, split, b, limit - 1);
    }

    private static int MedianOfThreeIndex(Item[] items, int i, int j, int k)
    {
        if (items[j].Precedes(items[i])) (i, j) = (j, i);
        if (items[k].Precedes(items[j])) j = items[k].Precedes(items[i]) ? i : k;
        return j;
    }
}
