namespace Vinfer.Diagnostics;

/// <summary>
/// Summary of the draws of one scalar quantity: mean, standard deviation (n − 1 denominator) and the 5 %, 50 %
/// and 95 % quantiles by linear interpolation of the order statistics (Hyndman &amp; Fan 1996, "Sample quantiles in
/// statistical packages", type 7, the default of R and NumPy).
/// </summary>
/// <param name="Name">The quantity's name (Stan style, e.g. <c>beta[3]</c>).</param>
/// <param name="Mean">Sample mean.</param>
/// <param name="Sd">Sample standard deviation.</param>
/// <param name="Q5">5 % quantile.</param>
/// <param name="Q50">Median.</param>
/// <param name="Q95">95 % quantile.</param>
/// <param name="Draws">Number of draws summarized.</param>
public sealed record PosteriorSummary(string Name, double Mean, double Sd, double Q5, double Q50, double Q95, int Draws)
{
    /// <summary>Summarizes <paramref name="draws"/> (at least one, none NaN).</summary>
    public static PosteriorSummary Compute(string name, ReadOnlySpan<double> draws) => Summarize(name, draws.ToArray());

    /// <summary>
    /// Summarizes the draws in <paramref name="scratch"/>, which it reorders: the moments first, in the draws' order,
    /// then the quantiles' order statistics by selection (<see cref="OrderStatistics.Select"/>; exactly a sort's).
    /// </summary>
    private static PosteriorSummary Summarize(string name, Span<double> scratch)
    {
        ArgumentNullException.ThrowIfNull(name);
        ReadOnlySpan<double> draws = scratch;
        int n = draws.Length;
        if (n == 0) throw new ArgumentException($"'{name}': no draws to summarize", nameof(draws));
        // two-pass mean and variance (Welford-free but exact enough for draws, and order-independent)
        double mean = 0;
        for (int i = 0; i < n; i++)
        {
            if (double.IsNaN(draws[i])) throw new ArgumentException($"'{name}': draw {i} is NaN", nameof(draws));
            mean += draws[i];
        }
        mean /= n;
        double ss = 0, comp = 0;
        for (int i = 0; i < n; i++)
        {
            double d = draws[i] - mean;
            ss += d * d;
            comp += d;
        }
        double sd = n > 1 ? Math.Sqrt(Math.Max(0, (ss - comp * comp / n) / (n - 1))) : double.NaN;
        // the ranks Quantile reads for each probability: ⌊h⌋ and the one after it (the last rank when ⌊h⌋ is last)
        Span<int> ranks = stackalloc int[QuantileProbabilities.Length * 2];
        for (int q = 0; q < QuantileProbabilities.Length; q++)
        {
            int lo = (int)Math.Floor((n - 1) * QuantileProbabilities[q]);
            ranks[2 * q] = Math.Min(lo, n - 1);
            ranks[2 * q + 1] = Math.Min(lo + 1, n - 1);
        }
        ranks.Sort(); // small n: a quantile's ⌊h⌋ + 1 can pass the next one's ⌊h⌋
        OrderStatistics.Select(scratch, ranks);
        return new PosteriorSummary(name, mean, sd, Quantile(scratch, 0.05), Quantile(scratch, 0.5), Quantile(scratch, 0.95), n);
    }

    /// <summary>The probabilities of <see cref="Q5"/>, <see cref="Q50"/>, <see cref="Q95"/>.</summary>
    private static ReadOnlySpan<double> QuantileProbabilities => [0.05, 0.5, 0.95];

    /// <summary>
    /// Summarizes each column of a row-major draws × parameters array.
    /// </summary>
    public static IReadOnlyList<PosteriorSummary> ComputeColumns(IReadOnlyList<string> names, ReadOnlySpan<double> rowMajorDraws)
    {
        ArgumentNullException.ThrowIfNull(names);
        int p = names.Count;
        if (p == 0) return [];
        if (rowMajorDraws.Length % p != 0)
            throw new ArgumentException($"{rowMajorDraws.Length} values do not form rows of {p} parameters", nameof(rowMajorDraws));
        int n = rowMajorDraws.Length / p;
        var column = new double[n];
        var result = new PosteriorSummary[p];
        for (int j = 0; j < p; j++)
        {
            for (int i = 0; i < n; i++) column[i] = rowMajorDraws[i * p + j];
            result[j] = Summarize(names[j], column);
        }
        return result;
    }

    /// <summary>
    /// Summarizes importance-weighted draws of one quantity: weighted mean and sd (the self-normalized estimates of
    /// <see cref="ReweightedMoments"/>) and the 5 %, 50 % and 95 % quantiles of the weighted empirical distribution,
    /// interpolated between the draws at their cumulative weights' midpoints (with equal weights, Hyndman &amp; Fan's
    /// type 5). <paramref name="weights"/> sum to one; <see cref="Draws"/> is the number of draws.
    /// </summary>
    public static PosteriorSummary ComputeWeighted(ReweightedMoments moments, ReadOnlySpan<double> draws, ReadOnlySpan<double> weights)
    {
        ArgumentNullException.ThrowIfNull(moments);
        int n = draws.Length;
        if (n == 0 || weights.Length != n) throw new ArgumentException($"'{moments.Name}': {n} draws and {weights.Length} weights", nameof(weights));
        // by selection among the draws, not a sort of them (OrderStatistics.WeightedQuantiles)
        Span<double> q = stackalloc double[QuantileProbabilities.Length];
        OrderStatistics.WeightedQuantiles(draws, weights, QuantileProbabilities, q);
        return new PosteriorSummary(moments.Name, moments.Mean, moments.Sd, q[0], q[1], q[2], n);
    }

    /// <summary>Type-7 quantile of ascending <paramref name="sorted"/>: x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]) with h = (n − 1)p.</summary>
    public static double Quantile(ReadOnlySpan<double> sorted, double probability)
    {
        if (sorted.Length == 0) throw new ArgumentException("no values", nameof(sorted));
        if (!(probability >= 0 && probability <= 1)) throw new ArgumentOutOfRangeException(nameof(probability), probability, "must be in [0, 1]");
        double h = (sorted.Length - 1) * probability;
        int lo = (int)Math.Floor(h);
        if (lo >= sorted.Length - 1) return sorted[^1];
        double frac = h - lo;
        return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
    }
}
