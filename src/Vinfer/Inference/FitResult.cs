using Vinfer.Diagnostics;
using Vinfer.Guides;
using Vinfer.Modeling;

namespace Vinfer.Inference;

/// <summary>
/// A fitted variational approximation: the guide and its parameters, the optimization run, posterior draws on the
/// constrained scale with per-parameter summaries, the final ELBO and the PSIS k̂ of the importance ratios
/// p(x, z)/q(z) with its reading (Yao et al., "Yes, but did it work?: Evaluating variational inference", ICML 2018).
/// </summary>
public sealed class FitResult
{
    internal FitResult(VariationalFamily family, AutoGuide guide, ParamStore store, SviRun run, PosteriorDraws draws,
        IReadOnlyList<PosteriorSummary> summary, double elbo, double kHat, double seconds, AlphaMomentsRun? alphaMoments = null)
    {
        AlphaMoments = alphaMoments;
        Family = family;
        Guide = guide;
        Store = store;
        Run = run;
        Draws = draws;
        Summary = summary;
        Elbo = elbo;
        KHat = kHat;
        Seconds = seconds;
    }

    /// <summary>The objective the fit optimized.</summary>
    public Objectives.IObjective? Objective { get; init; }

    /// <summary>The evidence bracketed from the guide's draws (ELBO, IWAE, CUBO); null for a point estimate.</summary>
    public Objectives.EvidenceEstimates? Evidence { get; init; }

    /// <summary>
    /// Guide draws (before any importance resampling) the model could not score because a value overflowed to a
    /// non-finite parameter (<see cref="PosteriorDraws.Unscored"/>): log p = −∞, weight 0 in PSIS and resampling.
    /// </summary>
    public int UnscoredDraws { get; init; }

    /// <summary>K when <see cref="Draws"/> are importance-resampled (one kept per K guide draws), else null (plain guide draws).</summary>
    public int? ImportanceResampled { get; init; }

    /// <summary>
    /// The monotonic alpha-divergence run when the fit was made by <see cref="AlphaMomentsFit"/> (then <see cref="Run"/>
    /// holds its update count and Rényi bound trace); null for ADVI.
    /// </summary>
    public AlphaMomentsRun? AlphaMoments { get; }

    /// <summary>The method: "pathfinder", "alpha-moments" or "advi".</summary>
    public string Method => PathfinderFit ? "pathfinder" : AlphaMoments is null ? "advi" : "alpha-moments";

    /// <summary>
    /// The Pathfinder run: the fit itself when <see cref="Method"/> is "pathfinder", else the run that initialized
    /// and preconditioned ADVI; null when there was none.
    /// </summary>
    public PathfinderResult? Pathfinder { get; init; }

    /// <summary>True when the fit is Pathfinder's own (its draws are PSIS-resampled from all paths).</summary>
    public bool PathfinderFit { get; init; }

    /// <summary>Why ADVI did not start from Pathfinder when it was asked to (Pathfinder failed); null otherwise.</summary>
    public string? InitializationNote { get; init; }

    /// <summary>The family fitted.</summary>
    public VariationalFamily Family { get; }

    /// <summary>The fitted guide.</summary>
    public AutoGuide Guide { get; }

    /// <summary>Its parameters.</summary>
    public ParamStore Store { get; }

    /// <summary>The optimization run (steps, convergence, ELBO trace, recoveries).</summary>
    public SviRun Run { get; }

    /// <summary>Steps of the averaging phase run after <see cref="Run"/> (0: the last iterate; see <see cref="FitOptions.AverageNaturalGradient"/>).</summary>
    public int AveragedSteps { get; init; }

    /// <summary>Posterior draws (constrained scale) with log p and log q per draw.</summary>
    public PosteriorDraws Draws { get; }

    /// <summary>Mean, sd and 5/50/95 % quantiles of each scalar parameter (Stan names).</summary>
    public IReadOnlyList<PosteriorSummary> Summary { get; }

    /// <summary>The ELBO estimated from the posterior draws (mean of log p − log q).</summary>
    public double Elbo { get; }

    /// <summary>PSIS k̂ of the importance ratios; NaN for a point estimate (MAP has no density to compare).</summary>
    public double KHat { get; }

    /// <summary>True when k̂ is not defined for the family (MAP, SVGD's particles).</summary>
    public bool KHatNotApplicable => Guide.IsPointEstimate;

    /// <summary>How far the fit can be trusted, from k̂ (&lt; 0.5 good, 0.5–0.7 usable, &gt; 0.7 not to be trusted).</summary>
    public ParetoKReading Reading => ParetoSmoothedImportanceSampling.Read(KHat);

    /// <summary>A one-line reading of k̂ for reports.</summary>
    public string ReadingText => Guide is AutoParticles
        ? "not applicable: SVGD's particles are an empirical distribution, with no density to check against the posterior"
        : KHatNotApplicable
        ? "not applicable: MAP is a point estimate, with no density to check against the posterior"
        : ParetoSmoothedImportanceSampling.Describe(Reading);

    /// <summary>Wall time of the whole fit (optimization, draws, diagnostics).</summary>
    public double Seconds { get; }

    /// <summary>Monte Carlo standard error of <see cref="Elbo"/> (sd of the log ratios / √draws).</summary>
    public double ElboStandardError { get; init; } = double.NaN;

    /// <summary>
    /// PSIS-reweighted means and sds (Yao et al. 2018) when k̂ &lt; 0.7 and the draws are plain guide draws; else null.
    /// </summary>
    public IReadOnlyList<ReweightedMoments>? Reweighted { get; init; }

    /// <summary>Monte Carlo standard error of each plain mean of <see cref="Summary"/> (sd/√draws: the guide's draws are independent), in its order.</summary>
    public IReadOnlyList<double> MeanStandardErrors => Summary.Select(s => s.Sd / Math.Sqrt(s.Draws)).ToArray();

    private ReportedMoments? _reported;

    /// <summary>
    /// The moments reported as the fit's answer (<see cref="ReportedMoments"/>): PSIS-reweighted when k̂ and the
    /// effective sample size allow it, else <see cref="Summary"/> with its standard errors (also for fits without PSIS).
    /// </summary>
    public ReportedMoments Reported
    {
        get => _reported ??= KHatNotApplicable || double.IsNaN(KHat) ? ReportedMoments.FromGuide(Summary, "no PSIS check applies: the draws' moments")
            : ImportanceResampled is { } k ? ReportedMoments.FromDraws(ReportedMoments.Resampled, Summary, FormattableString.Invariant($"the draws are importance-resampled (1 of {k}): their moments"))
            : PathfinderFit ? ReportedMoments.FromDraws(ReportedMoments.Resampled, Summary, "Pathfinder's PSIS-resampled draws: their moments")
            : ReportedMoments.FromGuide(Summary, "the guide's moments");
        init => _reported = value;
    }

    /// <summary>The "did it work?" verdict (<see cref="FitVerdict"/>).</summary>
    public FitVerdict Verdict { get; internal set; } = null!;

    /// <summary>Every fit made from a different initialization, this one among them (one entry for a single start).</summary>
    public IReadOnlyList<FitResult> Restarts { get; internal set; } = [];

    /// <summary>The families tried by <see cref="FamilyEscalation"/>, in order; null when one family was asked.</summary>
    public IReadOnlyList<FamilyAttempt>? Escalation { get; internal set; }

    /// <summary>The fit's wall time split into phases, each with its JIT time (<see cref="FitPhaseTimes"/>); empty when not measured.</summary>
    public IReadOnlyList<FitPhase> Phases { get; internal set; } = [];

    /// <summary>The radius r of the uniform(−r, r) initialization of the guide's location, or null for the default (0).</summary>
    public double? InitialRadius { get; init; }

    /// <summary>SVGD: the annealing schedule the particles were fitted with (<see cref="Inference.SvgdAnnealing"/>); null for plain SVGD and other families.</summary>
    public SvgdAnnealing? SvgdAnnealing { get; init; }

    /// <summary>SVGD: the kernel the particles were moved with; null for other families.</summary>
    public SteinKernel? SvgdKernel { get; init; }

    /// <summary>Saves the fitted guide with its parameters (loadable with <see cref="GuideFile.Load"/>, no model needed).</summary>
    public void Save(string path) => Guide.Save(path, Store);
}
