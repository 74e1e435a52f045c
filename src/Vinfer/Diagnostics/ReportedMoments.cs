namespace Vinfer.Diagnostics;

/// <summary>
/// The moments a variational fit reports as its answer, and which estimator made them. Yao, Vehtari, Simpson &amp;
/// Gelman (2018, "Yes, but did it work?", §3) recommend the PSIS-reweighted estimates whenever k̂ is small enough for
/// them to be reliable: they correct the family's own bias (on eight schools the full-rank Gaussian closest to the
/// posterior in KL(q‖p) puts τ's mean 0.17 sd low, however well it is fitted; reweighted, the fits are within 0.1 sd,
/// docs/stan-comparison.md). So the reported moments are the PSIS ones (<see cref="Psis"/>) when k̂ is below Vehtari
/// et al.'s (2024, §3.2.4) threshold min(1 − 1/log₁₀ S, 0.7) for the S draws and the PSIS effective sample size
/// 1/Σwᵢ² is at least <see cref="MinimumEffectiveSampleSize"/> (then a mean's Monte Carlo error is at most a tenth of
/// its sd, the verdict's own bound); otherwise the guide's draws' plain moments (<see cref="Guide"/>). The standard
/// errors are those of the estimator used: √(Σwᵢ²(xᵢ − μ̂)²) for the self-normalized mean, sd/√S for the plain one.
/// </summary>
/// <param name="Source"><see cref="Psis"/>, <see cref="Guide"/> or <see cref="Resampled"/>.</param>
/// <param name="Summary">Mean, sd and quantiles per parameter (PSIS-weighted ones for <see cref="Psis"/>).</param>
/// <param name="StandardErrors">Monte Carlo standard error of each mean, in <paramref name="Summary"/> order.</param>
/// <param name="EffectiveSampleSize">The PSIS effective sample size 1/Σwᵢ² of the guide draws; null when PSIS was not run.</param>
/// <param name="Reason">Why these moments are the reported ones, one sentence.</param>
public sealed record ReportedMoments(string Source, IReadOnlyList<PosteriorSummary> Summary, IReadOnlyList<double> StandardErrors, double? EffectiveSampleSize, string Reason)
{
    /// <summary>The label of PSIS-reweighted moments (summary.json's <c>"moments"</c>).</summary>
    public const string Psis = "psis";

    /// <summary>The label of the guide draws' plain moments.</summary>
    public const string Guide = "guide";

    /// <summary>
    /// The label of the plain moments of draws already resampled by their importance weights (an importance-weighted
    /// bound's one of K, Pathfinder's PSIS resampling): neither the guide's own moments nor PSIS-reweighted ones.
    /// </summary>
    public const string Resampled = "resampled";

    /// <summary>The smallest PSIS effective sample size for which the reweighted moments are reported (MCSE ≤ sd/10).</summary>
    public const double MinimumEffectiveSampleSize = 100;

    /// <summary>True when the reported moments are the PSIS-reweighted ones.</summary>
    public bool IsPsis => Source == Psis;

    /// <summary>The guide draws' plain moments, with sd/√S standard errors.</summary>
    public static ReportedMoments FromGuide(IReadOnlyList<PosteriorSummary> summary, string reason, double? effectiveSampleSize = null)
        => FromDraws(Guide, summary, reason, effectiveSampleSize);

    /// <summary>Plain moments of draws labelled <paramref name="source"/> (<see cref="Guide"/> or <see cref="Resampled"/>), with sd/√S standard errors.</summary>
    public static ReportedMoments FromDraws(string source, IReadOnlyList<PosteriorSummary> summary, string reason, double? effectiveSampleSize = null)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (source is not (Guide or Resampled)) throw new ArgumentException($"ReportedMoments: plain moments are labelled '{Guide}' or '{Resampled}', got '{source}'.", nameof(source));
        return new ReportedMoments(source, summary, summary.Select(s => s.Sd / Math.Sqrt(s.Draws)).ToArray(), effectiveSampleSize, reason);
    }

    /// <summary>
    /// Chooses the reported moments of guide draws (row-major draws × parameters, <paramref name="names"/> the columns)
    /// from their plain <paramref name="summary"/>, their k̂ and their PSIS-smoothed normalized log weights.
    /// </summary>
    public static ReportedMoments Choose(IReadOnlyList<string> names, ReadOnlySpan<double> rowMajorDraws, IReadOnlyList<PosteriorSummary> summary,
        double kHat, ReadOnlySpan<double> normalizedLogWeights)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(summary);
        int n = normalizedLogWeights.Length, p = names.Count;
        double threshold = ParetoSmoothedImportanceSampling.SampleSizeThreshold(n);
        if (!(kHat < threshold))
            return FromGuide(summary, double.IsFinite(kHat)
                ? FormattableString.Invariant($"k̂ = {kHat:F2} is not below {threshold:F3}, the PSIS threshold for {n} draws: the guide's moments")
                : "k̂ is not finite: the guide's moments");
        double ess = ReweightedMoments.EffectiveSampleSize(normalizedLogWeights);
        if (!(ess >= MinimumEffectiveSampleSize))
            return FromGuide(summary, FormattableString.Invariant($"the PSIS effective sample size {ess:F0} is below {MinimumEffectiveSampleSize:F0}: the guide's moments"), ess);
        var moments = ReweightedMoments.Compute(names, rowMajorDraws, normalizedLogWeights);
        var weights = new double[n];
        for (int i = 0; i < n; i++) weights[i] = Math.Exp(normalizedLogWeights[i]);
        var column = new double[n];
        var rows = new PosteriorSummary[p];
        for (int j = 0; j < p; j++)
        {
            for (int i = 0; i < n; i++) column[i] = rowMajorDraws[i * p + j];
            rows[j] = PosteriorSummary.ComputeWeighted(moments[j], column, weights);
        }
        return new ReportedMoments(Psis, rows, moments.Select(m => m.Mcse).ToArray(), ess,
            FormattableString.Invariant($"PSIS-reweighted (Yao et al. 2018): k̂ = {kHat:F2} < {threshold:F3} for {n} draws, effective sample size {ess:F0}"));
    }
}
