using Vinfer.Experiments.Posteriordb;

namespace Vinfer.Experiments.ObjectiveComparison;

/// <summary>One posterior fitted by one method of <see cref="ObjectivesStudy"/>: the accuracy against the reference, and medians over its parameters.</summary>
public sealed record ObjectivesStudyRow(string Method, PosteriordbAccuracyRow Accuracy)
{
    /// <summary>The median over the reference's parameters of |mean_VI − mean_ref| / sd_ref.</summary>
    public double MedianMeanError => Median(Accuracy.Parameters.Select(p => p.MeanError));

    /// <summary>The median over the reference's parameters of sd_VI / sd_ref.</summary>
    public double MedianSdRatio => Median(Accuracy.Parameters.Select(p => p.SdRatio));

    /// <summary>The median of the values (NaN sorts last, so one NaN among many does not hide the rest).</summary>
    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => double.IsNaN(v) ? double.PositiveInfinity : v).ToList();
        if (sorted.Count == 0) return double.NaN;
        int n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }
}
