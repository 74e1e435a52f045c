using Vinfer.Diagnostics;

namespace Vinfer.Tests.Diagnostics;

/// <summary>
/// Selection against a full sort: the order statistics must be exactly the sorted array's (random, tied, already
/// sorted and reversed inputs), the summaries' quantiles exactly the sorted ones, and the weighted quantiles those of
/// the stable sort with the midpoints of the cumulative weights (to the last bits, which the summation order moves).
/// </summary>
public class OrderStatisticsTests
{
    public static TheoryData<string, int> Inputs => new()
    {
        { "normal", 1 }, { "normal", 2 }, { "normal", 17 }, { "normal", 101 }, { "normal", 4000 },
        { "ties", 50 }, { "ties", 4000 }, { "constant", 300 }, { "ascending", 2000 }, { "descending", 2000 }, { "organ", 2001 },
    };

    private static double[] Make(string kind, int n, int seed)
    {
        var rng = new System.Random(seed);
        return kind switch
        {
            "normal" => Enumerable.Range(0, n).Select(_ => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble())).ToArray(),
            "ties" => Enumerable.Range(0, n).Select(_ => (double)rng.Next(5)).ToArray(),
            "constant" => Enumerable.Repeat(2.5, n).ToArray(),
            "ascending" => Enumerable.Range(0, n).Select(i => (double)i).ToArray(),
            "descending" => Enumerable.Range(0, n).Select(i => (double)-i).ToArray(),
            "organ" => Enumerable.Range(0, n).Select(i => (double)Math.Min(i, n - i)).ToArray(),
            _ => throw new ArgumentException(kind),
        };
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void SelectedRanksHoldTheSortedValues(string kind, int n)
    {
        var values = Make(kind, n, 11 + n);
        var sorted = values.OrderBy(x => x).ToArray();
        var rng = new System.Random(n);
        int[] ranks = [.. Enumerable.Range(0, 7).Select(_ => rng.Next(n)).Append(0).Append(n - 1).Order()];
        var work = (double[])values.Clone();
        OrderStatistics.Select(work, ranks);
        foreach (int r in ranks) Assert.Equal(sorted[r], work[r]);
        Assert.Equal(sorted, work.Order().ToArray()); // a permutation of the input
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void SummaryQuantilesAreTheSortedOnesExactly(string kind, int n)
    {
        var values = Make(kind, n, 3 * n + 1);
        var sorted = values.OrderBy(x => x).ToArray();
        var s = PosteriorSummary.Compute("x", values);
        Assert.Equal(PosteriorSummary.Quantile(sorted, 0.05), s.Q5);
        Assert.Equal(PosteriorSummary.Quantile(sorted, 0.5), s.Q50);
        Assert.Equal(PosteriorSummary.Quantile(sorted, 0.95), s.Q95);
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void WeightedQuantilesAreThoseOfTheStableSort(string kind, int n)
    {
        var values = Make(kind, n, 5 * n + 2);
        var rng = new System.Random(n + 7);
        // importance weights as PSIS gives them: log-normal ratios, a few zero (unscored draws), normalized
        var weights = Enumerable.Range(0, n).Select(i => i % 13 == 5 && n > 1 ? 0.0 : Math.Exp(2 * (rng.NextDouble() - 0.5) * 3)).ToArray();
        double total = weights.Sum();
        for (int i = 0; i < n; i++) weights[i] /= total;
        double[] probabilities = [0.05, 0.5, 0.95];
        var result = new double[3];
        OrderStatistics.WeightedQuantiles(values, weights, probabilities, result);
        var reference = SortedWeightedQuantiles(values, weights, probabilities);
        double scale = values.Max(Math.Abs) + 1;
        for (int t = 0; t < 3; t++) Assert.True(Math.Abs(reference[t] - result[t]) <= 1e-12 * scale, $"p = {probabilities[t]}: {result[t]} vs sorted {reference[t]}");
    }

    [Fact]
    public void EqualWeightsGiveHyndmanFanType5()
    {
        // equal weights: midpoints (i + 1/2)/n, so quantile p interpolates x at h = np − 1/2 (type 5); 1..10 shuffled
        double[] x = [7, 3, 10, 1, 5, 9, 2, 8, 4, 6];
        var w = Enumerable.Repeat(0.1, 10).ToArray();
        var q = new double[3];
        OrderStatistics.WeightedQuantiles(x, w, [0.05, 0.5, 0.95], q);
        Assert.Equal(1.0, q[0], 1e-12);   // h = 0: the first
        Assert.Equal(5.5, q[1], 1e-12);   // h = 4.5
        Assert.Equal(10.0, q[2], 1e-12);  // h = 9: the last
        OrderStatistics.WeightedQuantiles(x, w, [0.27], q.AsSpan(0, 1));
        Assert.Equal(3.2, q[0], 1e-12);   // h = 2.2 → 3 + 0.2
    }

    /// <summary>The former implementation: a stable sort by value (NaN first), cumulative midpoints, a binary search.</summary>
    private static double[] SortedWeightedQuantiles(double[] x, double[] w, double[] probabilities)
    {
        var order = Enumerable.Range(0, x.Length).OrderBy(i => x[i]).ThenBy(i => i).ToArray();
        var keys = order.Select(i => x[i]).ToArray();
        var midpoints = new double[x.Length];
        double cumulative = 0;
        for (int i = 0; i < x.Length; i++) { midpoints[i] = cumulative + w[order[i]] / 2; cumulative += w[order[i]]; }
        return probabilities.Select(p =>
        {
            int lo = -1;
            while (lo + 1 < x.Length && midpoints[lo + 1] <= p) lo++;
            if (lo < 0) return keys[0];
            if (lo == x.Length - 1 || midpoints[lo] == p) return keys[lo];
            int hi = lo + 1;
            double span = midpoints[hi] - midpoints[lo];
            return span > 0 ? keys[lo] + (p - midpoints[lo]) / span * (keys[hi] - keys[lo]) : keys[hi];
        }).ToArray();
    }
}
