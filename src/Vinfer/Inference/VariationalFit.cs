using System.Diagnostics;
using Vinfer.Diagnostics;
using Vinfer.Guides;
using Vinfer.Modeling;
using Vinfer.Objectives;
using Vinfer.Optim;
using Vinfer.Random;

namespace Vinfer.Inference;

/// <summary>
/// Automatic differentiation variational inference end to end (Kucukelbir et al., JMLR 2017): build the family's
/// guide from the model's trace (<see cref="VariationalFamily.Create"/>; a Gaussian family starts from Pathfinder's
/// approximation and is fitted in its whitened coordinates, <see cref="AdviInitialization"/>), run SVI on the chosen objective (the ELBO
/// by default) with Adam until Stan's rule or the step limit, then draw from the
/// approximation, summarize each scalar parameter and check the fit with PSIS k̂ (Yao et al., ICML 2018).
/// </summary>
public static class VariationalFit
{
    /// <summary>K of the reported IWAE evidence estimate when the objective is not importance-weighted.</summary>
    public const int DefaultEvidenceSamples = 16;

    /// <summary>Fits <paramref name="model"/> as <paramref name="options"/> say.</summary>
    public static FitResult Fit(Action model, FitOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Particles < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Fit: particles must be at least 1, got {options.Particles}.");
        if (options.AverageSteps < 0) throw new ArgumentOutOfRangeException(nameof(options), $"Fit: average steps must be at least 0, got {options.AverageSteps}.");
        if (!(options.AverageRateFactor > 0 && options.AverageRateFactor <= 1))
            throw new ArgumentOutOfRangeException(nameof(options), $"Fit: the averaging phase's rate factor must be in (0, 1], got {options.AverageRateFactor}.");
        if (options.Draws < 10) throw new ArgumentOutOfRangeException(nameof(options), $"Fit: draws must be at least 10 (PSIS needs them), got {options.Draws}.");
        var clock = Stopwatch.StartNew();
        var phases = new FitPhaseTimes();
        var prototype = ModelPrototype.Capture(model);
        var family = options.Family ?? throw new ArgumentNullException(nameof(options), "Fit: options.Family is null.");
        var start = options.InitialValues?.Unconstrain(prototype.Latents);
        if (family is SvgdFamily)
            return start is null ? FitSvgd(model, options, prototype, clock)
                : throw new ArgumentException("Fit: initial values do not apply to the svgd family, whose particles start from the prior's scale.", nameof(options));
        if (options.FlowLayers is < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Fit: flow layers must be at least 1, got {options.FlowLayers}.");
        phases.Mark("setup");
        GaussianPreconditioner? preconditioner = options.Preconditioner;
        PathfinderResult? pathfinder = null;
        string? initializationNote = null;
        // A restart from Stan's uniform(−r, r) start is meant to explore other modes: it starts from the origin, unwhitened.
        if (preconditioner is null && options.InitialRadius is null && start is null && options.Initialization == AdviStart.Pathfinder && AdviInitialization.Applies(family))
            (preconditioner, pathfinder, initializationNote) = AdviInitialization.Prepare(model, options.Seed);
        phases.Mark("pathfinder");
        var guide = family.Create(model, new FamilyOptions
        {
            Rank = options.Rank, FlowLayers = options.FlowLayers, Hidden = options.Hidden, Preconditioner = preconditioner,
            MaximumLogScale = options.MaximumLogScale, BaseDegreesOfFreedom = options.BaseDegreesOfFreedom,
        });
        bool point = family.IsPointEstimate;
        // a point mass has nothing to average over and no density for a score or sticking-the-landing term
        int particles = point ? 1 : options.Particles;
        var estimator = point ? GradientEstimator.Reparameterized : options.Estimator;
        if (estimator == GradientEstimator.StickingTheLanding && !family.ElboUsesStickingTheLanding) estimator = GradientEstimator.Reparameterized;
        var schedule = ScheduleFor(options, particles, point);
        // ADVI's Gaussian guides take the ELBO's path that does not run the guide under handlers (FlatGaussianElbo)
        Func<int, IObjective> makeElbo = options.FlatGaussianPath ? s => FlatGaussianElbo.Wrap(new Elbo(s, estimator), guide) : s => new Elbo(s, estimator);
        var scheduled = schedule is null ? null : new ScheduledParticleObjective(makeElbo, schedule.Minimum);
        var objective = scheduled ?? (options.Objective is { } make ? make(particles, estimator) : makeElbo(particles));
        if (objective is null) throw new ArgumentException("Fit: options.Objective returned null.", nameof(options));
        // DReG and STL re-score the draws with detached parameters, which a planar flow cannot do (no differentiable inverse)
        if (objective is ImportanceWeightedObjective { Estimator: GradientEstimator.DoublyReparameterized or GradientEstimator.StickingTheLanding } rescoring && !family.SupportsStickingTheLanding)
            throw new ArgumentException(
                $"Fit: the {(rescoring.Estimator == GradientEstimator.DoublyReparameterized ? "dreg" : "stl")} estimator re-scores draws with detached guide parameters, which the {family.Name} family cannot do: {family.WhyNoStickingTheLanding}; use the reparam estimator (--estimator reparam).",
                nameof(options));
        double rate = options.LearningRate * family.LearningRateFactor;
        // a full-rank guide steps in its own Gaussian's coordinates (GaussianNaturalGradient): affine invariant, so ill-conditioned posteriors converge
        var adam = options.NaturalGradientSteps ? GaussianNaturalGradient.For(guide, rate) : new Adam(rate);
        adam.Schedule = LearningRateSchedule.InverseTime(rate, 1e-3, 0.5);
        var store = new ParamStore();
        var svi = new Svi(model, guide, adam, objective, store);
        if (options.InitialRadius is { } radius) RandomizeLocation(store, radius, options.Seed);
        else if (start is not null) InitialValues.SetLocation(store, guide.Latents, start);
        phases.Mark("guide");
        var run = svi.Run(new SviOptions
        {
            Steps = options.Steps,
            Tolerance = options.Tolerance,
            EvalEvery = options.EvalEvery,
            Seed = options.Seed,
            Progress = options.Progress,
            RequireStationarity = options.RequireStationarity,
            MonitorUpdated = scheduled is null ? null : monitor => scheduled.SetParticles(schedule!.ParticlesFor(monitor)),
            CheckpointEvery = options.CheckpointEvery,
            Checkpoint = options.Checkpoint is { } save ? loop => SaveCheckpoint(save, SviCheckpoint.FromFitLoopCheckpoint(loop), guide, adam) : null,
        }, guide is BlockGuide resumed && options.Resume is { } whole ? LocalBlocks.SliceCheckpoint(whole, resumed.BlockFamily, adam) : options.Resume);
        scheduled?.SetParticles(particles);
        phases.Mark("optimization");
        int averaged = adam is GaussianNaturalGradient && !options.AverageNaturalGradient ? 0 : options.AverageSteps;
        if (averaged > 0) AverageIterates(svi, adam, store, options, run.Steps);
        phases.Mark("averaging");
        // An importance-weighted lower bound fits q for use as a proposal: the draws reported are then resampled from
        // K guide draws each (q_IW); the guide draws themselves still give k̂ and the evidence estimates.
        int resampleK = !point && objective is ImportanceWeightedObjective { IsUpperBound: false, ImportanceSamples: > 1 } iw ? iw.ImportanceSamples : 1;
        var drawStream = new RandomStream(new RandomKey(options.Seed).Fold(StreamTags.PosteriorDraws));
        var proposals = PosteriorSampler.Draw(model, guide.Run, prototype, store, options.Draws * resampleK, drawStream);
        // a block guide's local columns are spread over the processes: process 0 gathers them (the others keep their own)
        if (guide is BlockGuide block) proposals = LocalBlocks.GatherDraws(proposals, block.BlockFamily);
        var draws = resampleK > 1 ? ImportanceResampling.Resample(proposals, resampleK, drawStream) : proposals;
        phases.Mark("draws");
        var summary = PosteriorSummary.ComputeColumns(draws.Names, draws.Values);
        phases.Mark("summary");
        var (ratios, kHat, tail, logWeights, reweighted, reported) = Psis(proposals, draws, summary, point, resampleK);
        // where the reweighting corrects the guide (a mean moves beyond its Monte Carlo error, as eight schools' τ by
        // 0.17 sd), 1,000 draws leave that correction noisy, and their k̂ may be above the threshold only by its own
        // sampling error: top the draws up to PsisDraws and redo PSIS (PsisTopUp)
        if (logWeights is not null && guide is not BlockGuide && options.PsisDraws > draws.Count
            && PsisTopUp.Wanted(reported is { IsPsis: true }, kHat, tail, draws.Count, options.PsisDraws, summary,
                reweighted ?? ReweightedMoments.Compute(draws.Names, draws.Values, logWeights)))
        {
            var more = PosteriorSampler.Draw(model, guide.Run, prototype, store, options.PsisDraws - draws.Count, drawStream, PosteriorSampler.ChunkFor(prototype));
            draws = proposals = Concatenate(proposals, more);
            summary = PosteriorSummary.ComputeColumns(draws.Names, draws.Values);
            (ratios, kHat, _, _, reweighted, reported) = Psis(proposals, draws, summary, point, resampleK);
            phases.Mark("more draws for PSIS");
        }
        double elbo = ratios.Average();
        int evidenceK = Math.Min(resampleK > 1 ? resampleK : DefaultEvidenceSamples, ratios.Length);
        var evidence = point ? null : EvidenceEstimates.FromLogRatios(ratios, evidenceK);
        double elboSe = StandardError(ratios);
        phases.Mark("psis and evidence");
        var result = new FitResult(family, guide, store, run, draws, summary, elbo, kHat, clock.Elapsed.TotalSeconds)
        {
            Objective = objective,
            Evidence = evidence,
            ImportanceResampled = resampleK > 1 ? resampleK : null,
            UnscoredDraws = proposals.Unscored,
            Pathfinder = pathfinder,
            InitializationNote = initializationNote,
            ElboStandardError = elboSe,
            Reweighted = reweighted,
            Reported = reported!, // null: the draws' own moments (the getter's default)
            InitialRadius = options.InitialRadius,
            AveragedSteps = averaged,
        };
        Assess(result, null);
        phases.Mark("verdict");
        result.Phases = phases.Phases;
        return result;
    }

    /// <summary>
    /// PSIS over the guide draws: their log ratios, k̂ and the tail it was fitted to, the smoothed normalized log weights (null for a point estimate
    /// or importance-resampled draws), the reweighted moments (when k̂ &lt; 0.7) and the moments to report.
    /// </summary>
    private static (double[] Ratios, double KHat, int TailLength, double[]? LogWeights, IReadOnlyList<ReweightedMoments>? Reweighted, ReportedMoments? Reported) Psis(
        PosteriorDraws proposals, PosteriorDraws draws, IReadOnlyList<PosteriorSummary> summary, bool point, int resampleK)
    {
        var ratios = proposals.LogRatios();
        if (point) return (ratios, double.NaN, 0, null, null, null);
        var smoothed = ParetoSmoothedImportanceSampling.Smooth(ratios);
        var logWeights = resampleK == 1 ? smoothed.NormalizedLogWeights() : null;
        var reweighted = logWeights is not null && smoothed.KHat < 0.7 ? ReweightedMoments.Compute(draws.Names, draws.Values, logWeights) : null;
        // the reported moments: PSIS-reweighted when k̂ and the effective sample size allow it (Yao et al. 2018)
        var reported = logWeights is not null ? ReportedMoments.Choose(draws.Names, draws.Values, summary, smoothed.KHat, logWeights) : null;
        return (ratios, smoothed.KHat, smoothed.TailLength, logWeights, reweighted, reported);
    }

    private static PosteriorDraws Concatenate(PosteriorDraws first, PosteriorDraws second) =>
        new(first.Names, [.. first.Values, .. second.Values], [.. first.LogP, .. second.LogP], [.. first.LogQ, .. second.LogQ]) { Unscored = first.Unscored + second.Unscored };

    /// <summary>
    /// The particle schedule of an ELBO fit stopped by Stan's rule (<see cref="ParticleSchedule"/>, from
    /// <see cref="FitOptions.MinimumParticles"/> to <see cref="FitOptions.Particles"/>); null (a fixed count) for
    /// other objectives, a fixed step count, a point estimate, or a minimum not below the maximum.
    /// </summary>
    private static ParticleSchedule? ScheduleFor(FitOptions options, int particles, bool point)
    {
        if (options.MinimumParticles < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Fit: the minimum particles must be at least 1, got {options.MinimumParticles}.");
        if (point || options.Objective is not null || options.Tolerance is not { } tolerance || options.MinimumParticles >= particles) return null;
        return new ParticleSchedule(options.MinimumParticles, particles, tolerance);
    }

    /// <summary>
    /// Hands a checkpoint to <paramref name="save"/>; a block guide's checkpoint is first gathered into the
    /// single-process layout on process 0, which alone saves it (every process takes part in the gather).
    /// </summary>
    private static void SaveCheckpoint(Action<SviCheckpoint> save, SviCheckpoint checkpoint, AutoGuide guide, Adam adam)
    {
        if (guide is not BlockGuide block) { save(checkpoint); return; }
        if (LocalBlocks.GatherCheckpoint(checkpoint, block.BlockFamily, adam) is { } whole) save(whole);
    }

    /// <summary>Sets <see cref="FitResult.Verdict"/> from the fit's checks and the restarts' comparison.</summary>
    internal static void Assess(FitResult fit, RestartComparison? restarts)
    {
        // the Monte Carlo error of the means reported, by their own estimator
        double maxRelative = 0;
        var reported = fit.Reported;
        for (int i = 0; i < reported.Summary.Count; i++)
            if (reported.Summary[i].Sd > 0) maxRelative = Math.Max(maxRelative, reported.StandardErrors[i] / reported.Summary[i].Sd);
        var shift = fit.Reweighted is { } moments ? ReweightingShift.Largest(fit.Summary, moments) : null;
        fit.Verdict = FitVerdict.Assess(fit.KHat, !fit.KHatNotApplicable, restarts, fit.Run.Stationarity, maxRelative, KHatDraws(fit), shift);
        if (fit.Restarts.Count == 0) fit.Restarts = [fit];
    }

    /// <summary>The draws k̂ was estimated from: Pathfinder's pooled proposals, or the guide draws before any importance resampling.</summary>
    private static int KHatDraws(FitResult fit) =>
        fit.KHatNotApplicable ? 0 : fit.PathfinderFit && fit.Pathfinder is { } pathfinder ? pathfinder.Proposals.Count : (fit.ImportanceResampled ?? 1) * fit.Draws.Count;

    private static double StandardError(double[] values)
    {
        int n = 0;
        double mean = 0;
        foreach (var v in values) if (double.IsFinite(v)) { mean += v; n++; }
        if (n < 2) return double.NaN;
        mean /= n;
        double ss = 0;
        foreach (var v in values) if (double.IsFinite(v)) ss += (v - mean) * (v - mean);
        return Math.Sqrt(ss / (n - 1) / n);
    }

    /// <summary>Stan's random initialization: every location parameter of the guide drawn from uniform(−r, r).</summary>
    private static void RandomizeLocation(ParamStore store, double radius, ulong seed)
    {
        if (!(radius > 0) || double.IsInfinity(radius)) throw new ArgumentOutOfRangeException(nameof(radius), radius, "Fit: the initial radius must be finite and positive.");
        var key = new RandomKey(seed).Fold(StreamTags.RestartInit);
        int index = 0;
        foreach (var (name, value) in store.Unconstrained)
        {
            string last = name[(name.IndexOf('.') + 1)..];
            if (last == "loc" || last.StartsWith("loc.", StringComparison.Ordinal))
                Sample.Uniform(key.Child(index), -radius, radius, value.Span);
            index++;
        }
    }

    /// <summary>
    /// SVGD (<see cref="Svgd"/>): <see cref="FitOptions.Particles"/> particles, <see cref="FitOptions.SvgdKernel"/> (default RBF with the median heuristic),
    /// RMSProp with decay 0.9 at <see cref="FitOptions.LearningRate"/> (the "AdaGrad with momentum" of Liu and Wang's
    /// reference code, which forgets old gradients; plain AdaGrad stalls after the particles cross a funnel's neck);
    /// the particles are the draws (so <see cref="FitOptions.Draws"/> does not apply), and neither an ELBO nor k̂ is
    /// defined (an empirical distribution has no density).
    /// </summary>
    private static FitResult FitSvgd(Action model, FitOptions options, ModelPrototype prototype, Stopwatch clock)
    {
        if (options.Particles < 2) throw new ArgumentOutOfRangeException(nameof(options), $"Fit: SVGD needs at least 2 particles, got {options.Particles}.");
        var store = new ParamStore();
        var svgd = new Svgd(model, options.Particles, options.SvgdKernel ?? new RbfSteinKernel(), new RmsProp(options.LearningRate, alpha: 0.9, epsilon: 1e-6), store, initSeed: options.Seed)
        {
            Annealing = options.SvgdAnnealing,
        };
        var run = svgd.Run(new SviOptions
        {
            Steps = options.Steps,
            Tolerance = options.Tolerance,
            EvalEvery = options.EvalEvery,
            Seed = options.Seed,
            Progress = options.Progress,
        });
        var draws = PosteriorSampler.Draw(model, svgd.Guide.Run, prototype, store, options.Particles,
            new RandomStream(new RandomKey(options.Seed).Fold(StreamTags.PosteriorDraws)), chunkSize: options.Particles);
        var summary = PosteriorSummary.ComputeColumns(draws.Names, draws.Values);
        return new FitResult(options.Family!, svgd.Guide, store, run, draws, summary, double.NaN, double.NaN, clock.Elapsed.TotalSeconds)
        {
            SvgdAnnealing = options.SvgdAnnealing,
            SvgdKernel = svgd.Kernel,
        };
    }

    /// <summary>
    /// The averaging phase: <see cref="FitOptions.AverageSteps"/> more steps at a reduced constant learning rate,
    /// whose iterates' running mean (Polyak &amp; Juditsky 1992) replaces the parameters. A non-finite step ends the
    /// phase early; the average so far is kept.
    /// </summary>
    private static void AverageIterates(Svi svi, Adam adam, ParamStore store, FitOptions options, int stepsDone)
    {
        adam.Schedule = LearningRateSchedule.Constant(adam.LearningRate * options.AverageRateFactor);
        var average = new IterateAverage();
        var root = new RandomKey(options.Seed).Fold(StreamTags.IterateAveraging);
        var clock = Stopwatch.StartNew();
        for (int k = 0; k < options.AverageSteps; k++)
        {
            double elbo = svi.Step(new RandomStream(root.Child(k)));
            if (!double.IsFinite(elbo)) break;
            average.Update(store.Unconstrained);
            options.Progress?.Invoke(new SviProgress(stepsDone + k + 1, elbo, (k + 1) / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), stepsDone + options.AverageSteps));
        }
        average.CopyTo(store.Unconstrained);
    }
}
