namespace Vinfer.Diagnostics;

/// <summary>
/// The adjusted Rand index of two partitions (Hubert and Arabie, "Comparing partitions", J. Classification 1985):
/// the Rand index corrected for chance, 1 for identical partitions (up to relabeling), about 0 for independent ones.
/// </summary>
public static class AdjustedRandIndex
{
    /// <summary>ARI between labelings <paramref name="first"/> and <paramref name="second"/> of the same items (any integer labels).</summary>
    public static double Compute(ReadOnlySpan<int> first, ReadOnlySpan<int> second)
    {
        if (first.Length != second.Length) throw new ArgumentException($"the labelings have {first.Length} and {second.Length} items.", nameof(second));
        long n = first.Length;
        if (n < 2) return 1.0;
        var table = new Dictionary<(int, int), long>();
        var rows = new Dictionary<int, long>();
        var columns = new Dictionary<int, long>();
        for (int i = 0; i < first.Length; i++)
        {
            var key = (first[i], second[i]);
            table[key] = table.GetValueOrDefault(key) + 1;
            rows[first[i]] = rows.GetValueOrDefault(first[i]) + 1;
            columns[second[i]] = columns.GetValueOrDefault(second[i]) + 1;
        }
        static double Pairs(long m) => m * (m - 1) / 2.0;
        double index = table.Values.Sum(Pairs);
        double a = rows.Values.Sum(Pairs), b = columns.Values.Sum(Pairs);
        double expected = a * b / Pairs(n);
        double maximum = 0.5 * (a + b);
        return maximum == expected ? 1.0 : (index - expected) / (maximum - expected);
    }
}
