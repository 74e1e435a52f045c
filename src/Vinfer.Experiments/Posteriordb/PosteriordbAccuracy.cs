using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Vinfer.Diagnostics;
using Vinfer.Guides;
using Vinfer.Modeling;
using Vinfer.Objectives;
using Vinfer.Optim;
using Vinfer.Random;

using Vinfer.Inference;

namespace Vinfer.Experiments.Posteriordb;

/// <summary>
/// Accuracy of ADVI against posteriordb's gold-standard posteriors (issue item 8): each posterior is fitted in Stan's
/// unconstrained space (Kucukelbir et al., JMLR 2017) with a family (mean-field, low-rank, full-rank, a flow) or with
/// <c>auto</c>'s escalation, by default exactly as <c>vinfer fit</c> fits it, then S draws give, over the reference's
/// primary quantities, max |mean_VI − mean_ref| / sd_ref and the range of sd_VI / sd_ref, beside the fit's own
/// verdict (<see cref="FitVerdict"/>: PSIS k̂ of Yao et al., ICML 2018, restarts, stationarity, MCSE), so that the
/// table shows whether every failure is flagged. A fit that fails outright (a non-finite log density at the draws,
/// every restart failing) gives a row that says what failed instead of stopping the suite.
/// </summary>
public static class PosteriordbAccuracy
{
    /// <summary>The family name that selects <see cref="FamilyEscalation"/>.</summary>
    public const string AutoFamily = "auto";

    /// <summary>Fits one posterior (a posteriordb folder name) with one family.</summary>
    public static PosteriordbAccuracyRow Run(string posterior, VariationalFamily family, PosteriordbAccuracyOptions options, string? directory = null)
    {
        ArgumentNullException.ThrowIfNull(family);
        return Run(posterior, family, auto: false, options, directory);
    }

    /// <summary>Fits one posterior with the family named (a registered family or <see cref="AutoFamily"/>).</summary>
    public static PosteriordbAccuracyRow Run(string posterior, string familyName, PosteriordbAccuracyOptions options, string? directory = null)
    {
        ArgumentNullException.ThrowIfNull(familyName);
        if (familyName == AutoFamily) return Run(posterior, VariationalFamilies.MeanField, auto: true, options, directory);
        if (!VariationalFamilies.TryGet(familyName, out var family))
            throw new ArgumentException($"PosteriordbAccuracy: unknown family '{familyName}'; known: {AutoFamily}, {string.Join(", ", VariationalFamilies.Names)}.", nameof(familyName));
        return Run(posterior, family, auto: false, options, directory);
    }

    private static PosteriordbAccuracyRow Run(string posterior, VariationalFamily family, bool auto, PosteriordbAccuracyOptions options, string? directory)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (auto && options.UsesFixedSteps)
            throw new ArgumentException("PosteriordbAccuracy: family auto needs the fit pipeline, not the fixed-step protocol (fixed steps, an objective or alpha-moments).", nameof(options));
        directory ??= PosteriordbFiles.RequireDirectory();
        var model = PosteriordbModel.Registry.Get(posterior);
        var data = Data.StanData.Load(Path.Combine(directory, posterior, "data.json"));
        var reference = PosteriordbReference.Load(Path.Combine(directory, posterior, "reference.json")).Where(q => !q.Derived).ToList();
        var program = model.Bind(data);
        var clock = Stopwatch.StartNew();
        string requested = auto ? AutoFamily : family.Name;
        try
        {
            var fit = options.UsesFixedSteps ? FitFixedSteps(program, family, options) : FitPipeline(program, family, auto, options);
            return Compare(posterior, requested, fit, reference, clock.Elapsed.TotalSeconds);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or ArithmeticException)
        {
            // One posterior whose fit breaks down (a non-finite log density where the guide puts draws, every restart
            // failing) must not stop the suite: its row says what failed.
            return PosteriordbAccuracyRow.FromFailure(posterior, family, requested, $"{e.GetType().Name}: {e.Message}", clock.Elapsed.TotalSeconds);
        }
    }

    /// <summary>What a fit hands to the comparison, whichever protocol made it.</summary>
    private sealed record FitOutcome(VariationalFamily Family, PosteriorDraws Draws, double KHat, FitVerdict Verdict, int Steps,
        EvidenceEstimates? Evidence, IReadOnlyList<ReweightedMoments>? Reweighted, IReadOnlyList<FamilyAttempt>? Escalation, IReadOnlyList<double>? RestartElbos,
        ReportedMoments Reported);

    /// <summary>The fit as <c>vinfer fit</c> makes it: <see cref="FitRestarts"/> or, for auto, <see cref="FamilyEscalation"/>.</summary>
    private static FitOutcome FitPipeline(Action program, VariationalFamily family, bool auto, PosteriordbAccuracyOptions options)
    {
        var fitOptions = new FitOptions
        {
            Family = family,
            Steps = options.Steps,
            Tolerance = options.Tolerance,
            Draws = options.Draws,
            Seed = options.Seed,
            Initialization = options.Initialization,
            Restarts = options.Restarts,
        };
        if (options.Particles is { } particles) fitOptions = fitOptions with { Particles = particles };
        if (options.LearningRate is { } rate) fitOptions = fitOptions with { LearningRate = rate };
        var fit = auto ? FamilyEscalation.Fit(program, fitOptions) : FitRestarts.Fit(program, fitOptions);
        return new FitOutcome(fit.Family, fit.Draws, fit.KHat, fit.Verdict, fit.Run.Steps + fit.AveragedSteps, fit.Evidence, fit.Reweighted, fit.Escalation,
            fit.Restarts.Count > 1 ? fit.Restarts.Select(r => r.Elbo).ToArray() : null, fit.Reported);
    }

    /// <summary>The fixed-step protocol: alpha-moments, or ADVI for exactly the steps asked with the last iterates averaged; the verdict from k̂, the trace and the MCSEs.</summary>
    private static FitOutcome FitFixedSteps(Action program, VariationalFamily family, PosteriordbAccuracyOptions options)
    {
        var prototype = ModelPrototype.Capture(program);
        AutoGuide guide;
        ParamStore store;
        int stepsRun;
        double[] trace;
        if (options.AlphaMoments is { } alphaOptions)
        {
            if (family != VariationalFamily.MeanField && family != VariationalFamily.FullRank)
                throw new ArgumentOutOfRangeException(nameof(family), $"PosteriordbAccuracy: family {family} is not compared (meanfield or fullrank).");
            // The fit's own 10 draws are discarded: the comparison draws below, as for ADVI.
            var fit = AlphaMomentsFit.Fit(program, alphaOptions with { Family = family, Seed = options.Seed, Draws = 10 });
            (guide, store, stepsRun, trace) = (fit.Guide, fit.Store, fit.Run.Steps + fit.AlphaMoments!.AverageSteps, fit.Run.ElboTrace);
        }
        else
        {
            (guide, store, trace) = FitAdvi(program, family, options);
            stepsRun = options.Steps;
        }
        var draws = PosteriorSampler.Draw(program, guide.Run, prototype, store, options.Draws, new RandomStream(new RandomKey(options.Seed).Fold(StreamTags.PosteriorDraws)));
        var logRatios = draws.LogRatios();
        var smoothed = ParetoSmoothedImportanceSampling.Smooth(logRatios);
        double kHat = smoothed.KHat;
        var evidence = EvidenceEstimates.FromLogRatios(logRatios, Math.Min(16, logRatios.Length));
        var summary = PosteriorSummary.ComputeColumns(draws.Names, draws.Values);
        double maxRelativeMcse = summary.Where(s => s.Sd > 0).Select(s => 1 / Math.Sqrt(s.Draws)).DefaultIfEmpty(0).Max();
        var logWeights = smoothed.NormalizedLogWeights();
        var reweighted = kHat < FamilyEscalation.KHatThreshold ? ReweightedMoments.Compute(draws.Names, draws.Values, logWeights) : null;
        var shift = reweighted is null ? null : ReweightingShift.Largest(summary, reweighted);
        var verdict = FitVerdict.Assess(kHat, kHatApplicable: true, restarts: null, ObjectiveStationarity.Assess(trace, 100), maxRelativeMcse, draws.Count, shift);
        // vinfer fit's rule for the reported moments, without its top-up to more draws (this protocol fixes the draws)
        var reported = ReportedMoments.Choose(draws.Names, draws.Values, summary, kHat, logWeights);
        return new FitOutcome(family, draws, kHat, verdict, stepsRun, evidence, reweighted, null, null, reported);
    }

    private static PosteriordbAccuracyRow Compare(string posterior, string requested, FitOutcome fit, IReadOnlyList<ReferenceQuantity> reference, double seconds)
    {
        var rows = new List<(string, double, double)>();
        foreach (var q in reference)
        {
            var s = PosteriorSummary.Compute(q.Name, fit.Draws.Column(q.Name));
            rows.Add((q.Name, Math.Abs(s.Mean - q.Mean) / q.Sd, s.Sd / q.Sd));
        }
        var worst = rows.OrderByDescending(r => double.IsNaN(r.Item2) ? double.PositiveInfinity : r.Item2).First();
        double? reweightedError = null;
        if (fit.Reweighted is { } moments)
        {
            var byName = moments.ToDictionary(m => m.Name);
            reweightedError = reference.Max(q => byName.TryGetValue(q.Name, out var m) ? Math.Abs(m.Mean - q.Mean) / q.Sd : double.NaN);
        }
        return new PosteriordbAccuracyRow(posterior, fit.Family, worst.Item2, worst.Item1, rows.Min(r => r.Item3), rows.Max(r => r.Item3),
            fit.KHat, fit.Steps, seconds, rows)
        {
            Evidence = fit.Evidence,
            Requested = requested,
            Verdict = fit.Verdict,
            Escalation = fit.Escalation,
            ReweightedMaxMeanError = reweightedError,
            RestartElbos = fit.RestartElbos,
            Reported = PosteriordbReportedScore.Score(fit.Reported, reference),
        };
    }

    /// <summary>ADVI with many particles, a decaying Adam step and the average of the last iterates; returns the per-step trace.</summary>
    private static (AutoGuide Guide, ParamStore Store, double[] Trace) FitAdvi(Action program, VariationalFamily family, PosteriordbAccuracyOptions options)
    {
        if (family.IsPointEstimate || family is SvgdFamily)
            throw new ArgumentOutOfRangeException(nameof(family), $"PosteriordbAccuracy: family {family.Name} is a point estimate; the comparison needs a density (meanfield, fullrank, lowrank).");
        var preconditioner = options.Initialization == AdviStart.Pathfinder && AdviInitialization.Applies(family)
            ? AdviInitialization.Prepare(program, options.Seed).Preconditioner : null;
        var guide = family.Create(program, new FamilyOptions { Preconditioner = preconditioner });
        // flows take a smaller rate and the plain reparameterized gradient (VariationalFamily.LearningRateFactor, ElboUsesStickingTheLanding)
        double rate = (options.LearningRate ?? PosteriordbAccuracyOptions.FixedStepsLearningRate) * family.LearningRateFactor;
        var adam = new Adam(rate) { Schedule = LearningRateSchedule.InverseTime(rate, 4.0 / options.Steps, 1.0) };
        var store = new ParamStore();
        var objective = options.Objective?.Invoke() ?? new Elbo(options.Particles ?? PosteriordbAccuracyOptions.FixedStepsParticles, stickingTheLanding: family.ElboUsesStickingTheLanding);
        var svi = new Svi(program, guide, adam, objective, store);
        var random = new RandomStream(new RandomKey(options.Seed));
        var average = new IterateAverage();
        var trace = new double[options.Steps];
        int averageFrom = (int)(options.Steps * (1 - options.AveragedFraction));
        for (int step = 0; step < options.Steps; step++)
        {
            double loss = svi.Step(random);
            trace[step] = loss;
            if (!double.IsFinite(loss)) continue;
            if (step >= averageFrom) average.Update(store.Unconstrained);
        }
        if (options.Steps > averageFrom) average.CopyTo(store.Unconstrained);
        return (guide, store, trace);
    }

    /// <summary>The posteriors of the suite (folders with a reference.json), sorted.</summary>
    public static IReadOnlyList<string> Posteriors(string? directory = null)
    {
        directory ??= PosteriordbFiles.RequireDirectory();
        return Directory.GetDirectories(directory).Where(d => File.Exists(Path.Combine(d, "reference.json")))
            .Select(d => Path.GetFileName(d)!).OrderBy(n => n, StringComparer.Ordinal).ToList();
    }

    /// <summary>Every posterior with every family in <paramref name="families"/>, reporting each row as it completes.</summary>
    public static IReadOnlyList<PosteriordbAccuracyRow> RunAll(IReadOnlyList<VariationalFamily> families, PosteriordbAccuracyOptions options,
        Action<PosteriordbAccuracyRow>? progress = null, IReadOnlyList<string>? posteriors = null, string? directory = null)
    {
        ArgumentNullException.ThrowIfNull(families);
        return RunAll(families.Select(f => f.Name).ToArray(), options, progress, posteriors, directory);
    }

    /// <summary>Every posterior with every family named (registered families or <see cref="AutoFamily"/>), reporting each row as it completes.</summary>
    public static IReadOnlyList<PosteriordbAccuracyRow> RunAll(IReadOnlyList<string> familyNames, PosteriordbAccuracyOptions options,
        Action<PosteriordbAccuracyRow>? progress = null, IReadOnlyList<string>? posteriors = null, string? directory = null)
    {
        ArgumentNullException.ThrowIfNull(familyNames);
        var result = new List<PosteriordbAccuracyRow>();
        foreach (var p in posteriors ?? Posteriors(directory))
            foreach (var f in familyNames)
            {
                var row = Run(p, f, options, directory);
                progress?.Invoke(row);
                result.Add(row);
            }
        return result;
    }
}
