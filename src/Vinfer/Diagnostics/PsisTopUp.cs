namespace Vinfer.Diagnostics;

/// <summary>
/// Whether a fit's PSIS check should be redone on more draws (<c>FitOptions.PsisDraws</c>) before its moments are
/// reported: only when the reweighting corrects the guide (some mean moves by more than
/// <see cref="ReweightingShift.NoiseMultiple"/> of its Monte Carlo standard errors; where the weights are nearly flat
/// more draws only add time), and either (a) k̂ from the first draws already allows the reweighted moments, which more
/// draws make less noisy, or (b) k̂ is above the threshold but within its own sampling error of the threshold for the
/// larger count, so more draws may well allow them. k̂ fitted to the M largest of S ratios has an asymptotic standard
/// error of (1 + k)/√M (the generalized Pareto shape's maximum-likelihood variance (1 + k)²/M, Smith 1985; Zhang and
/// Stephens' estimator is nearly as efficient); PSIS fits M = ⌈min(S/5, 3√S)⌉, 95 of 1,000 draws, so a k̂ of 0.85
/// from 1,000 draws has a standard error of 0.19. Case (b) asks the one-sided 95 % question "could k̂ from the larger
/// count be below its threshold": k̂ − 1.645·SE &lt; min(1 − 1/log₁₀ S', 0.7), which from 1,000 draws is k̂ &lt; 1.04.
/// How often it matters depends on the draws: on eight schools' full-rank fit, seeds 1–20, k̂ from the 1,000 draws was
/// above 0.667 in 2 seeds (0.79, 0.72; case (b) tops up the first, whose reported means go from the guide's, 0.213 sd
/// off, to PSIS means 0.032 off; the second's reweighting moves no mean beyond its noise), and in 6 seeds (0.67–0.80)
/// when the draws came in 1,024-draw passes, where case (b) brought all 6 from 0.16–0.38 sd to within 0.1. Its cost is
/// the extra draws where k̂ stays high: 2 of 6 mean-field logistic regressions (seeds 3 and 5: k̂ still 0.81 and 0.83
/// from the 4,000 draws) paid them for nothing (docs/fit-verdict.md).
/// </summary>
public static class PsisTopUp
{
    /// <summary>The one-sided normal quantile of case (b): 95 %.</summary>
    public const double Quantile = 1.645;

    /// <summary>
    /// Case (b) adds at most this many times the first draws (1,000 → 4,000 by default): from few draws k̂'s standard
    /// error is so large (0.55 from 50) that the band would send almost every fit to the full top-up, many times the
    /// draws asked for.
    /// </summary>
    public const int MaximumBandFactor = 4;

    /// <summary>The asymptotic standard error of k̂ fitted to <paramref name="tailLength"/> tail ratios.</summary>
    public static double KHatStandardError(double kHat, int tailLength) =>
        tailLength > 0 && double.IsFinite(kHat) ? (1 + Math.Max(kHat, -0.5)) / Math.Sqrt(tailLength) : double.PositiveInfinity;

    /// <summary>
    /// True when k̂ = <paramref name="kHat"/> (from a tail of <paramref name="tailLength"/>) is within
    /// <see cref="Quantile"/> standard errors above the threshold for <paramref name="targetDraws"/> draws.
    /// </summary>
    public static bool KHatMayPass(double kHat, int tailLength, int targetDraws) =>
        double.IsFinite(kHat) && kHat - Quantile * KHatStandardError(kHat, tailLength) < ParetoSmoothedImportanceSampling.SampleSizeThreshold(targetDraws);

    /// <summary>True when some mean of <paramref name="reweighted"/> is more than <see cref="ReweightingShift.NoiseMultiple"/> MCSEs from the plain one (matched by position).</summary>
    public static bool MovesAMean(IReadOnlyList<PosteriorSummary> plain, IReadOnlyList<ReweightedMoments> reweighted)
    {
        ArgumentNullException.ThrowIfNull(plain);
        ArgumentNullException.ThrowIfNull(reweighted);
        for (int i = 0; i < plain.Count && i < reweighted.Count; i++)
            if (Math.Abs(reweighted[i].Mean - plain[i].Mean) > ReweightingShift.NoiseMultiple * reweighted[i].Mcse) return true;
        return false;
    }

    /// <summary>
    /// The decision: <paramref name="reportsPsis"/> says whether the first draws' moments are already the reweighted
    /// ones (case a); otherwise k̂ must be within the band and <paramref name="targetDraws"/> at most
    /// <see cref="MaximumBandFactor"/> times <paramref name="draws"/> (case b). Either way the reweighting must move a mean.
    /// </summary>
    public static bool Wanted(bool reportsPsis, double kHat, int tailLength, int draws, int targetDraws,
        IReadOnlyList<PosteriorSummary> plain, IReadOnlyList<ReweightedMoments>? reweighted)
    {
        ArgumentNullException.ThrowIfNull(plain);
        if (targetDraws <= draws || reweighted is null) return false;
        if (!reportsPsis && (targetDraws > MaximumBandFactor * draws || !KHatMayPass(kHat, tailLength, targetDraws))) return false;
        return MovesAMean(plain, reweighted);
    }
}
