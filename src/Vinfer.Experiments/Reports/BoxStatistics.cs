namespace Vinfer.Experiments.Reports;

/// <summary>
/// The five numbers a box plot draws plus Tukey's outliers: quartiles by linear interpolation between order statistics
/// (Hyndman &amp; Fan 1996, definition 7), whiskers at the most extreme observations within 1.5 IQR of the box
/// (Tukey, <i>Exploratory Data Analysis</i>, 1977), and the observations beyond them.
/// </summary>
public sealed record BoxStatistics(
    int Count, double Minimum, double LowerQuartile, double Median, double UpperQuartile, double Maximum,
    double LowerWhisker, double UpperWhisker, double Mean, IReadOnlyList<double> Outliers)
{
    /// <summary>Summarizes the finite values of <paramref name="sample"/> (non-finite values are dropped); null when none remain.</summary>
    public static BoxStatistics? FromSample(ReadOnlySpan<double> sample)
    {
        var sorted = new List<double>(sample.Length);
        foreach (double x in sample)
            if (double.IsFinite(x)) sorted.Add(x);
        if (sorted.Count == 0) return null;
        sorted.Sort();
        double q1 = Quantile(sorted, 0.25), median = Quantile(sorted, 0.5), q3 = Quantile(sorted, 0.75);
        double iqr = q3 - q1, lowFence = q1 - 1.5 * iqr, highFence = q3 + 1.5 * iqr;
        double lowWhisker = sorted.First(x => x >= lowFence), highWhisker = sorted.Last(x => x <= highFence);
        var outliers = sorted.Where(x => x < lowFence || x > highFence).ToArray();
        return new BoxStatistics(sorted.Count, sorted[0], q1, median, q3, sorted[^1], lowWhisker, highWhisker, sorted.Average(), outliers);
    }

    /// <summary>The p-quantile of an ascending list by linear interpolation (Hyndman–Fan type 7).</summary>
    public static double Quantile(IReadOnlyList<double> ascending, double p)
    {
        if (ascending.Count == 0) throw new ArgumentException("BoxStatistics.Quantile: the sample is empty.", nameof(ascending));
        if (!(p >= 0.0 && p <= 1.0)) throw new ArgumentOutOfRangeException(nameof(p), p, "must lie in [0, 1].");
        double h = (ascending.Count - 1) * p;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, ascending.Count - 1);
        return ascending[lo] + (h - lo) * (ascending[hi] - ascending[lo]);
    }
}
