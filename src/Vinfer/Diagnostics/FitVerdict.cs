namespace Vinfer.Diagnostics;

/// <summary>
/// The answer to "did it work?" for one variational fit, from the checks Yao, Vehtari, Simpson &amp; Gelman (2018,
/// "Yes, but did it work?: Evaluating variational inference", ICML) recommend and the optimizer's own evidence:
/// PSIS k̂ of p/q read by Vehtari et al.'s thresholds (&lt; 0.5 good, 0.5–0.7 usable, &gt; 0.7 not to be trusted),
/// agreement of restarts from different initializations (<see cref="RestartComparison"/>), stationarity of the
/// objective's trace at the end (<see cref="ObjectiveStationarity"/>) and the Monte Carlo error of the reported means.
/// <see cref="FitTrust.Unreliable"/> when k̂ &gt; 0.7, or above Vehtari et al.'s (2024, §3.2.4) threshold
/// min(1 − 1/log₁₀ S, 0.7) for the S draws it was estimated from, or when k̂ is only usable and PSIS reweighting still
/// moves a mean by more than <see cref="ReweightingShift.Threshold"/> sd (<see cref="ReweightingShift"/>: the plain means
/// are biased and the correction is partial); <see cref="FitTrust.Caution"/> when k̂ is only usable, the reweighting
/// moves a mean at a good k̂, restarts disagree, the trace still moves, or a mean's MCSE exceeds a tenth of its sd;
/// <see cref="FitTrust.Good"/> otherwise.
/// </summary>
public sealed record FitVerdict
{
    /// <summary>The largest tolerated ratio of a mean's Monte Carlo standard error to its posterior sd.</summary>
    public const double MaxRelativeMcse = 0.1;

    /// <summary>Overall trust.</summary>
    public required FitTrust Trust { get; init; }

    /// <summary>PSIS k̂ (NaN when not applicable).</summary>
    public required double KHat { get; init; }

    /// <summary>The reading of <see cref="KHat"/>, or "not applicable" for point estimates and particles.</summary>
    public required string KHatReading { get; init; }

    /// <summary>The restarts' comparison; null for a single start.</summary>
    public RestartComparison? Restarts { get; init; }

    /// <summary>The objective trace's last-block statistic; null when the trace was too short.</summary>
    public ObjectiveStationarity? Stationarity { get; init; }

    /// <summary>The largest MCSE/sd over the reported means.</summary>
    public double MaxRelativeMonteCarloError { get; init; }

    /// <summary>The largest move of a mean by PSIS reweighting; null when no reweighted moments were computed.</summary>
    public ReweightingShift? Shift { get; init; }

    /// <summary>Why the verdict is what it is, one sentence per finding.</summary>
    public required IReadOnlyList<string> Reasons { get; init; }

    /// <summary>Assesses a fit from its checks.</summary>
    /// <param name="kHat">PSIS k̂ of the fit's draws.</param>
    /// <param name="kHatApplicable">False for a point estimate or particles (no density to check).</param>
    /// <param name="restarts">The restarts' comparison (null for one start).</param>
    /// <param name="stationarity">The trace's last-block statistic (null when not available).</param>
    /// <param name="maxRelativeMcse">The largest MCSE/sd of the reported means.</param>
    /// <param name="draws">The draws k̂ was estimated from (0: unknown, the fixed 0.7 threshold alone).</param>
    /// <param name="shift">The largest move of a mean by PSIS reweighting (null: not computed).</param>
    public static FitVerdict Assess(double kHat, bool kHatApplicable, RestartComparison? restarts, ObjectiveStationarity? stationarity, double maxRelativeMcse,
        int draws = 0, ReweightingShift? shift = null)
    {
        var reasons = new List<string>();
        var trust = FitTrust.Good;
        void Lower(FitTrust to, string reason)
        {
            reasons.Add(reason);
            if (to > trust) trust = to;
        }
        string reading;
        if (!kHatApplicable) reading = "not applicable (no density to check against the posterior)";
        else
        {
            var r = ParetoSmoothedImportanceSampling.Read(kHat);
            reading = ParetoSmoothedImportanceSampling.Describe(r);
            if (r == ParetoKReading.Unreliable) Lower(FitTrust.Unreliable, FormattableString.Invariant($"k̂ = {kHat:F2} > 0.7: the approximation is far from the posterior"));
            else if (draws > 1 && kHat > ParetoSmoothedImportanceSampling.SampleSizeThreshold(draws))
                Lower(FitTrust.Unreliable, FormattableString.Invariant($"k̂ = {kHat:F2} > {ParetoSmoothedImportanceSampling.SampleSizeThreshold(draws):F3}, the threshold for {draws} draws (Vehtari et al. 2024): too few draws for PSIS at this k̂"));
            else if (r == ParetoKReading.Usable) Lower(FitTrust.Caution, FormattableString.Invariant($"k̂ = {kHat:F2} in [0.5, 0.7]: use the PSIS-reweighted moments"));
            if (r != ParetoKReading.Unreliable && shift is { Significant: true } sh)
                Lower(r == ParetoKReading.Usable ? FitTrust.Unreliable : FitTrust.Caution, r == ParetoKReading.Usable
                    ? FormattableString.Invariant($"PSIS reweighting moves the mean of {sh.Parameter} by {sh.Shift:F2} sd (± {sh.StandardError:F2}): the plain means are biased and at k̂ = {kHat:F2} the correction is partial")
                    : FormattableString.Invariant($"PSIS reweighting moves the mean of {sh.Parameter} by {sh.Shift:F2} sd (± {sh.StandardError:F2}): use the PSIS-reweighted moments"));
        }
        if (restarts is { Agree: false } rc)
            Lower(FitTrust.Caution, FormattableString.Invariant($"restarts disagree: ELBOs {rc.Elbos[rc.Best]:G6} (restart {rc.Best}) and {rc.Elbos[rc.Worst]:G6} (restart {rc.Worst}), gap {rc.Gap:G3} ± {rc.GapStandardError:G2}: different optima; the best is kept"));
        if (stationarity is { Stationary: false } st)
            Lower(FitTrust.Caution, FormattableString.Invariant($"the objective still moves: last block {st.Change:+0.###;-0.###} nats ± {st.StandardError:G2} over {st.BlockLength} steps"));
        if (maxRelativeMcse > MaxRelativeMcse)
            Lower(FitTrust.Caution, FormattableString.Invariant($"Monte Carlo error of a mean is {maxRelativeMcse:F2} sd: draw more"));
        if (reasons.Count == 0) reasons.Add("k̂ good, objective stationary" + (restarts is null ? "" : ", restarts agree"));
        return new FitVerdict
        {
            Trust = trust,
            KHat = kHat,
            KHatReading = reading,
            Restarts = restarts,
            Stationarity = stationarity,
            MaxRelativeMonteCarloError = maxRelativeMcse,
            Shift = shift,
            Reasons = reasons,
        };
    }

    /// <summary>One line for the screen: "verdict: good (…)".</summary>
    public string Describe() => $"verdict: {TrustName(Trust)} ({string.Join("; ", Reasons)})";

    /// <summary>The lower-case name written to summary.json.</summary>
    public static string TrustName(FitTrust trust) => trust switch
    {
        FitTrust.Good => "good",
        FitTrust.Caution => "caution",
        _ => "unreliable",
    };
}

/// <summary>How far a fit can be trusted (<see cref="FitVerdict"/>).</summary>
public enum FitTrust
{
    /// <summary>Every check passed.</summary>
    Good,
    /// <summary>Usable with care: read the reasons.</summary>
    Caution,
    /// <summary>Not to be trusted.</summary>
    Unreliable,
}
