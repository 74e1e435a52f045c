using Vinfer.Diagnostics;

namespace Vinfer.Experiments.Posteriordb;

/// <summary>
/// The reported moments of a fit (<see cref="ReportedMoments"/>) against a posteriordb reference: which estimator
/// made them (<c>psis</c> or <c>guide</c>), the worst |mean − mean_ref| / sd_ref over the reference's quantities and
/// where, and the range of sd / sd_ref.
/// </summary>
public sealed record PosteriordbReportedScore(string Source, double MaxMeanError, string WorstParameter, double MinSdRatio, double MaxSdRatio)
{
    /// <summary>Scores <paramref name="reported"/> on every reference quantity; a quantity the fit does not report scores NaN (the worst).</summary>
    public static PosteriordbReportedScore Score(ReportedMoments reported, IReadOnlyList<ReferenceQuantity> reference)
    {
        ArgumentNullException.ThrowIfNull(reported);
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Count == 0) throw new ArgumentException("PosteriordbReportedScore: the reference has no quantities.", nameof(reference));
        var byName = reported.Summary.ToDictionary(s => s.Name, StringComparer.Ordinal);
        double worst = double.NegativeInfinity, minRatio = double.PositiveInfinity, maxRatio = double.NegativeInfinity;
        string worstName = "";
        foreach (var q in reference)
        {
            double error = double.NaN, ratio = double.NaN;
            if (byName.TryGetValue(q.Name, out var s)) (error, ratio) = (Math.Abs(s.Mean - q.Mean) / q.Sd, s.Sd / q.Sd);
            double rank = double.IsNaN(error) ? double.PositiveInfinity : error;
            if (rank > worst) (worst, worstName) = (rank, q.Name);
            (minRatio, maxRatio) = (Math.Min(minRatio, ratio), Math.Max(maxRatio, ratio)); // Math.Min/Max propagate NaN
        }
        return new PosteriordbReportedScore(reported.Source, double.IsPositiveInfinity(worst) ? double.NaN : worst, worstName, minRatio, maxRatio);
    }
}
