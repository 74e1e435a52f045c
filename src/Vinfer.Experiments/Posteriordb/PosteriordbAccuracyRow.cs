using Vinfer.Diagnostics;
using Vinfer.Guides;
using Vinfer.Inference;
using Vinfer.Objectives;

namespace Vinfer.Experiments.Posteriordb;

/// <summary>
/// One posterior fitted with one family (or with <c>auto</c>), compared with the reference: the worst mean error in
/// reference sds, the sd ratios, k̂, and the fit's own verdict; or, when the fit failed, why.
/// </summary>
public sealed record PosteriordbAccuracyRow(
    string Posterior, VariationalFamily Family, double MaxMeanError, string WorstParameter, double MinSdRatio, double MaxSdRatio,
    double KHat, int Steps, double Seconds, IReadOnlyList<(string Name, double MeanError, double SdRatio)> Parameters)
{
    /// <summary>A mean error above this many reference sds is a failure the verdict must not call good (issue 13).</summary>
    public const double FailureThreshold = 0.5;

    /// <summary>ELBO, IWAE (K = 16) and CUBO of the fitted approximation, from the same draws as k̂ (null when not computed).</summary>
    public EvidenceEstimates? Evidence { get; init; }

    /// <summary>The family asked for: <see cref="Family"/>'s name, or "auto" (<see cref="FamilyEscalation"/>).</summary>
    public string Requested { get; init; } = Family.Name;

    /// <summary>The fit's "did it work?" verdict; null for a failed fit.</summary>
    public FitVerdict? Verdict { get; init; }

    /// <summary>What failed when the fit gave no usable draws (an exception's message); null for a fit.</summary>
    public string? Failure { get; init; }

    /// <summary>The families tried by <c>auto</c>; null otherwise.</summary>
    public IReadOnlyList<FamilyAttempt>? Escalation { get; init; }

    /// <summary>Max |PSIS-reweighted mean − reference mean| / reference sd when the fit reports reweighted moments (k̂ &lt; 0.7); else null.</summary>
    public double? ReweightedMaxMeanError { get; init; }

    /// <summary>
    /// The moments the fit reports as its answer (summary.json's <c>parameters</c>: PSIS-reweighted when k̂ and the
    /// effective sample size allow, <see cref="ReportedMoments"/>) scored against the reference; null for a failed fit.
    /// <see cref="MaxMeanError"/> and the sd ratios score the guide's own draws.
    /// </summary>
    public PosteriordbReportedScore? Reported { get; init; }

    /// <summary>The error of the fit's answer: the reported moments' max mean error, or the guide draws' when there is none.</summary>
    public double AnswerMaxMeanError => Reported?.MaxMeanError ?? MaxMeanError;

    /// <summary>Each restart's ELBO when the fit was restarted; null otherwise.</summary>
    public IReadOnlyList<double>? RestartElbos { get; init; }

    /// <summary>True when the fit failed outright.</summary>
    public bool Failed => Failure is not null;

    /// <summary>
    /// True for the failure issue 13 forbids: a reported mean more than <see cref="FailureThreshold"/> reference sds
    /// off (or not finite) while the verdict calls the fit good.
    /// </summary>
    public bool UnflaggedFailure => Verdict?.Trust == FitTrust.Good && !(AnswerMaxMeanError <= FailureThreshold);

    /// <summary>k̂'s reading (&lt; 0.5 good, 0.5–0.7 usable, &gt; 0.7 not to be trusted).</summary>
    public string Reading => Failed ? "failed" : ParetoSmoothedImportanceSampling.Read(KHat) switch
    {
        ParetoKReading.Good => "good",
        ParetoKReading.Usable => "usable",
        _ => "not to be trusted",
    };

    /// <summary>The verdict's name ("good", "caution", "unreliable"), or "failed".</summary>
    public string VerdictName => Verdict is { } v ? FitVerdict.TrustName(v.Trust) : "failed";

    /// <summary>The row of a fit that failed: no numbers, the failure's message.</summary>
    public static PosteriordbAccuracyRow FromFailure(string posterior, VariationalFamily family, string requested, string failure, double seconds) =>
        new(posterior, family, double.NaN, "", double.NaN, double.NaN, double.NaN, 0, seconds, []) { Requested = requested, Failure = failure };
}
