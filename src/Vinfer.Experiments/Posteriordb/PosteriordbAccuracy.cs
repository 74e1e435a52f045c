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

/// <summary>Settings of <see cref="PosteriordbAccuracy"/>.</summary>
public sealed record PosteriordbAccuracyOptions
{
    /// <summary>SVI steps per fit.</summary>
    public int Steps { get; init; } = 10_000;

    /// <summary>Particles per step (the ELBO gradient's Monte Carlo sample).</summary>
    public int Particles { get; init; } = 16;

    /// <summary>Adam's initial learning rate, decayed as rate / (1 + step/decaySteps).</summary>
    public double LearningRate { get; init; } = 0.05;

    /// <summary>The fraction of the steps, at the end, whose iterates are averaged (Polyak–Ruppert).</summary>
    public double AveragedFraction { get; init; } = 0.5;

    /// <summary>Draws from the fitted approximation for the summaries and k̂.</summary>
    public int Draws { get; init; } = 10_000;

    /// <summary>The seed.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>
    /// When set, each posterior is fitted by the monotonic alpha-divergence updates (<see cref="AlphaMomentsFit"/>, with
    /// these settings; family, draws and seed come from here) instead of ADVI; <see cref="Steps"/>,
    /// <see cref="Particles"/>, <see cref="LearningRate"/> and <see cref="AveragedFraction"/> are then unused.
    /// </summary>
    public AlphaMomentsOptions? AlphaMoments { get; init; }

    /// <summary>
    /// When set, ADVI minimizes this objective (a fresh one per fit, since an objective may carry state) instead of
    /// the ELBO with <see cref="Particles"/> particles; <see cref="Particles"/> is then unused.
    /// </summary>
    public Func<IObjective>? Objective { get; init; }

    /// <summary>
    /// Where ADVI's Gaussian families start and in which coordinates they are fitted: Pathfinder's approximation and
    /// its whitening (default, as <c>vinfer fit</c>), or Stan's origin (<see cref="AdviStart"/>).
    /// </summary>
    public AdviStart Initialization { get; init; } = AdviStart.Pathfinder;

    /// <summary>The method's name in reports.</summary>
    public string Method => AlphaMoments is null ? "advi" : "alpha-moments";

    /// <summary>The smoke-run preset.</summary>
    public static PosteriordbAccuracyOptions Quick => new() { Steps = 600, Particles = 8, Draws = 2000 };
}

/// <summary>One posterior fitted with one family, compared with the reference.</summary>
public sealed record PosteriordbAccuracyRow(
    string Posterior, VariationalFamily Family, double MaxMeanError, string WorstParameter, double MinSdRatio, double MaxSdRatio,
    double KHat, int Steps, double Seconds, IReadOnlyList<(string Name, double MeanError, double SdRatio)> Parameters)
{
    /// <summary>ELBO, IWAE (K = 16) and CUBO of the fitted approximation, from the same draws as k̂ (null when not computed).</summary>
    public EvidenceEstimates? Evidence { get; init; }

    /// <summary>k̂'s reading (&lt; 0.5 good, 0.5–0.7 usable, &gt; 0.7 not to be trusted).</summary>
    public string Reading => ParetoSmoothedImportanceSampling.Read(KHat) switch
    {
        ParetoKReading.Good => "good",
        ParetoKReading.Usable => "usable",
        _ => "not to be trusted",
    };
}

/// <summary>
/// Accuracy of ADVI against posteriordb's gold-standard posteriors (issue item 8): each posterior is fitted with
/// mean-field and/or full-rank Gaussians in Stan's unconstrained space (Kucukelbir et al., JMLR 2017), with many
/// particles per step, a decaying Adam step and Polyak–Ruppert averaging of the last iterates (Polyak &amp; Juditsky
/// 1992) so that the Monte Carlo noise of the optimum is small; then S draws give, over the reference's primary
/// quantities, max |mean_VI − mean_ref| / sd_ref and the range of sd_VI / sd_ref, with the PSIS k̂ of the fit
/// (Yao et al., ICML 2018) that says whether the approximation can be trusted.
/// </summary>
public static class PosteriordbAccuracy
{
    /// <summary>Fits one posterior (a posteriordb folder name) with one family.</summary>
    public static PosteriordbAccuracyRow Run(string posterior, VariationalFamily family, PosteriordbAccuracyOptions options, string? directory = null)
    {
        directory ??= PosteriordbFiles.RequireDirectory();
        var model = PosteriordbModel.Registry.Get(posterior);
        var data = Data.StanData.Load(Path.Combine(directory, posterior, "data.json"));
        var reference = PosteriordbReference.Load(Path.Combine(directory, posterior, "reference.json")).Where(q => !q.Derived).ToList();
        var program = model.Bind(data);
        var clock = Stopwatch.StartNew();
        var prototype = ModelPrototype.Capture(program);
        AutoGuide guide;
        ParamStore store;
        int stepsRun;
        if (options.AlphaMoments is { } alphaOptions)
        {
            if (family != VariationalFamily.MeanField && family != VariationalFamily.FullRank)
                throw new ArgumentOutOfRangeException(nameof(family), $"PosteriordbAccuracy: family {family} is not compared (meanfield or fullrank).");
            // The fit's own 10 draws are discarded: the comparison draws below, as for ADVI.
            var fit = AlphaMomentsFit.Fit(program, alphaOptions with { Family = family, Seed = options.Seed, Draws = 10 });
            (guide, store, stepsRun) = (fit.Guide, fit.Store, fit.Run.Steps + fit.AlphaMoments!.AverageSteps);
        }
        else
        {
            (guide, store) = FitAdvi(program, family, options);
            stepsRun = options.Steps;
        }
        var draws = PosteriorSampler.Draw(program, guide.Run, prototype, store, options.Draws, new RandomStream(new RandomKey(options.Seed).Fold(StreamTags.PosteriorDraws)));
        var logRatios = draws.LogRatios();
        double kHat = ParetoSmoothedImportanceSampling.Smooth(logRatios).KHat;
        var evidence = EvidenceEstimates.FromLogRatios(logRatios, Math.Min(16, logRatios.Length));
        double seconds = clock.Elapsed.TotalSeconds;
        var rows = new List<(string, double, double)>();
        foreach (var q in reference)
        {
            var column = draws.Column(q.Name);
            var s = PosteriorSummary.Compute(q.Name, column);
            rows.Add((q.Name, Math.Abs(s.Mean - q.Mean) / q.Sd, s.Sd / q.Sd));
        }
        var worst = rows.OrderByDescending(r => double.IsNaN(r.Item2) ? double.PositiveInfinity : r.Item2).First();
        return new PosteriordbAccuracyRow(posterior, family, worst.Item2, worst.Item1, rows.Min(r => r.Item3), rows.Max(r => r.Item3),
            kHat, stepsRun, seconds, rows) { Evidence = evidence };
    }

    /// <summary>ADVI with many particles, a decaying Adam step and the average of the last iterates.</summary>
    private static (AutoGuide Guide, ParamStore Store) FitAdvi(Action program, VariationalFamily family, PosteriordbAccuracyOptions options)
    {
        if (family.IsPointEstimate || family is SvgdFamily)
            throw new ArgumentOutOfRangeException(nameof(family), $"PosteriordbAccuracy: family {family.Name} is a point estimate; the comparison needs a density (meanfield, fullrank, lowrank).");
        var preconditioner = options.Initialization == AdviStart.Pathfinder && AdviInitialization.Applies(family)
            ? AdviInitialization.Prepare(program, options.Seed).Preconditioner : null;
        var guide = family.Create(program, new FamilyOptions { Preconditioner = preconditioner });
        // flows take a smaller rate and the plain reparameterized gradient (VariationalFamily.LearningRateFactor, SupportsStickingTheLanding)
        double rate = options.LearningRate * family.LearningRateFactor;
        var adam = new Adam(rate) { Schedule = LearningRateSchedule.InverseTime(rate, 4.0 / options.Steps, 1.0) };
        var store = new ParamStore();
        var objective = options.Objective?.Invoke() ?? new Elbo(options.Particles, stickingTheLanding: family.SupportsStickingTheLanding);
        var svi = new Svi(program, guide, adam, objective, store);
        var random = new RandomStream(new RandomKey(options.Seed));
        var average = new IterateAverage();
        int averageFrom = (int)(options.Steps * (1 - options.AveragedFraction));
        for (int step = 0; step < options.Steps; step++)
        {
            double loss = svi.Step(random);
            if (!double.IsFinite(loss)) continue;
            if (step >= averageFrom) average.Update(store.Unconstrained);
        }
        if (options.Steps > averageFrom) average.CopyTo(store.Unconstrained);
        return (guide, store);
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
        Action<PosteriordbAccuracyRow>? progress = null, IReadOnlyList<string>? posteriors = null)
    {
        var result = new List<PosteriordbAccuracyRow>();
        foreach (var p in posteriors ?? Posteriors())
            foreach (var f in families)
            {
                var row = Run(p, f, options);
                progress?.Invoke(row);
                result.Add(row);
            }
        return result;
    }

    /// <summary>A markdown table of the rows.</summary>
    public static string ToMarkdown(IReadOnlyList<PosteriordbAccuracyRow> rows, PosteriordbAccuracyOptions options)
    {
        var sb = new StringBuilder();
        if (options.AlphaMoments is { } a)
            sb.AppendLine(Inv($"Settings: alpha-moments, alpha {a.Alpha}, damping {a.Damping}, {a.Samples} draws per update, {a.Steps} updates then {a.AverageSteps} averaged (in the mean parameters), initial scale {a.InitScale}, {options.Draws} draws, seed {options.Seed}."));
        else
            sb.AppendLine(Inv($"Settings: {options.Steps} steps, {options.Particles} particles per step, Adam {options.LearningRate} decayed as 1/(1 + 4·step/steps), average of the last {options.AveragedFraction:P0} of the iterates, start {(options.Initialization == AdviStart.Pathfinder ? "Pathfinder (whitened)" : "origin")}, {options.Draws} draws, seed {options.Seed}."));
        sb.AppendLine();
        sb.AppendLine("| posterior | family | max \\|Δmean\\|/sd_ref (worst) | sd_VI/sd_ref range | k̂ | reading | steps | seconds |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
            sb.AppendLine(Inv($"| {r.Posterior} | {r.Family.Name} | {r.MaxMeanError:F3} ({r.WorstParameter}) | {r.MinSdRatio:F3} – {r.MaxSdRatio:F3} | {r.KHat:F2} | {r.Reading} | {r.Steps} | {r.Seconds:F1} |"));
        return sb.ToString();
    }

    /// <summary>The rows as JSON (with every parameter's error and sd ratio).</summary>
    public static string ToJson(IReadOnlyList<PosteriordbAccuracyRow> rows, PosteriordbAccuracyOptions options)
    {
        var arr = new JsonArray();
        foreach (var r in rows)
        {
            var ps = new JsonObject();
            foreach (var (name, err, ratio) in r.Parameters) ps[name] = new JsonObject { ["mean_error_sd"] = Num(err), ["sd_ratio"] = Num(ratio) };
            arr.Add(new JsonObject
            {
                ["posterior"] = r.Posterior, ["family"] = r.Family.Name, ["max_mean_error_sd"] = Num(r.MaxMeanError), ["worst_parameter"] = r.WorstParameter,
                ["sd_ratio_min"] = Num(r.MinSdRatio), ["sd_ratio_max"] = Num(r.MaxSdRatio), ["k_hat"] = Num(r.KHat), ["reading"] = r.Reading,
                ["steps"] = r.Steps, ["seconds"] = Num(r.Seconds), ["parameters"] = ps,
            });
        }
        var root = new JsonObject
        {
            ["settings"] = options.AlphaMoments is { } a
                ? new JsonObject { ["method"] = "alpha-moments", ["alpha"] = a.Alpha, ["damping"] = a.Damping, ["samples"] = a.Samples, ["steps"] = a.Steps,
                    ["average_steps"] = a.AverageSteps, ["init_scale"] = a.InitScale, ["draws"] = options.Draws, ["seed"] = options.Seed }
                : new JsonObject { ["method"] = "advi", ["steps"] = options.Steps, ["particles"] = options.Particles, ["learning_rate"] = options.LearningRate,
                ["averaged_fraction"] = options.AveragedFraction, ["initialization"] = options.Initialization.ToString(), ["draws"] = options.Draws, ["seed"] = options.Seed },
            ["rows"] = arr,
        };
        return root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(v) : JsonValue.Create(v.ToString(CultureInfo.InvariantCulture));

    private static string Inv(FormattableString s) => FormattableString.Invariant(s);
}
