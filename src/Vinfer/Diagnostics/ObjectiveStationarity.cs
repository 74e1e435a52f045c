namespace Vinfer.Diagnostics;

/// <summary>
/// Whether an optimization's objective trace has stopped moving: the mean of the last block of per-step estimates
/// against the mean of the block before, with the Monte Carlo standard error of that difference (block sd/√n each).
/// The trace is stationary when the change is within <see cref="NoiseMultiple"/> standard errors or within
/// <see cref="Slack"/> nats. Unlike Stan's relative rule |ΔELBO/ELBO| (Kucukelbir et al. 2017, §3.3) this does not
/// scale with |ELBO|: a logistic regression on 2,000,000 rows has |ELBO| ≈ 10⁶, where a relative change of 0.01 is
/// ten thousand nats of improvement still to come.
/// </summary>
/// <param name="Change">Mean of the last block minus mean of the block before (nats).</param>
/// <param name="StandardError">Monte Carlo standard error of <paramref name="Change"/>.</param>
/// <param name="BlockLength">Steps per block.</param>
public sealed record ObjectiveStationarity(double Change, double StandardError, int BlockLength)
{
    /// <summary>Changes within this many standard errors count as noise.</summary>
    public const double NoiseMultiple = 2.0;

    /// <summary>Changes below this many nats per block count as stopped whatever the noise (the ELBO's last decimals do not move the posterior).</summary>
    public const double Slack = 1.0;

    /// <summary>|change| / standard error (∞ for a noiseless change).</summary>
    public double ZScore => StandardError > 0 ? Math.Abs(Change) / StandardError : Change == 0 ? 0 : double.PositiveInfinity;

    /// <summary>True when the last block's change is within noise or below <see cref="Slack"/>.</summary>
    public bool Stationary => double.IsFinite(Change) && (Math.Abs(Change) <= Slack || Math.Abs(Change) <= NoiseMultiple * StandardError);

    /// <summary>
    /// The statistic of the last two blocks of <paramref name="trace"/> of <paramref name="blockLength"/> steps each;
    /// null when the trace holds fewer than two blocks.
    /// </summary>
    public static ObjectiveStationarity? Assess(ReadOnlySpan<double> trace, int blockLength)
    {
        if (blockLength < 2) throw new ArgumentOutOfRangeException(nameof(blockLength), blockLength, "ObjectiveStationarity: a block needs at least 2 steps");
        if (trace.Length < 2L * blockLength) return null;
        var (lastMean, lastVariance) = MeanVariance(trace[^blockLength..]);
        var (previousMean, previousVariance) = MeanVariance(trace[^(2 * blockLength)..^blockLength]);
        double se = Math.Sqrt((lastVariance + previousVariance) / blockLength);
        return new ObjectiveStationarity(lastMean - previousMean, se, blockLength);
    }

    private static (double Mean, double Variance) MeanVariance(ReadOnlySpan<double> values)
    {
        double mean = 0;
        foreach (var v in values) mean += v;
        mean /= values.Length;
        double ss = 0;
        foreach (var v in values) ss += (v - mean) * (v - mean);
        return (mean, ss / (values.Length - 1));
    }
}
