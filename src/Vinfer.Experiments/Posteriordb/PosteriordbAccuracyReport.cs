using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Vinfer.Diagnostics;
using Vinfer.Inference;

namespace Vinfer.Experiments.Posteriordb;

/// <summary>
/// The tables of <see cref="PosteriordbAccuracy"/>: a markdown table with the verdict beside the error against the
/// reference (of the reported moments, the fit's answer, and of the guide's own draws), a per-family count (every mean within 0.1 sd; verdict good; failures the verdict calls good), and the
/// rows as JSON with every parameter's error, the verdict's reasons, restarts and <c>auto</c>'s attempts.
/// </summary>
public static class PosteriordbAccuracyReport
{
    /// <summary>The mean error, in reference sds, that counts as accurate in the summary.</summary>
    public const double AccurateThreshold = 0.1;

    /// <summary>The settings line of the table.</summary>
    public static string Settings(PosteriordbAccuracyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string start = options.Initialization == AdviStart.Pathfinder ? "Pathfinder (whitened)" : "origin";
        if (options.AlphaMoments is { } a)
            return Inv($"Settings: alpha-moments, alpha {a.Alpha}, damping {a.Damping}, {a.Samples} draws per update, {a.Steps} updates then {a.AverageSteps} averaged (in the mean parameters), initial scale {a.InitScale}, {options.Draws} draws, seed {options.Seed}.");
        if (options.UsesFixedSteps)
            return Inv($"Settings: fixed-step protocol, {options.Steps} steps, {options.Particles ?? PosteriordbAccuracyOptions.FixedStepsParticles} particles per step, Adam {options.LearningRate ?? PosteriordbAccuracyOptions.FixedStepsLearningRate} decayed as 1/(1 + 4·step/steps), average of the last {options.AveragedFraction:P0} of the iterates, start {start}, {options.Draws} draws, seed {options.Seed}.");
        var defaults = new FitOptions();
        string stop = options.Tolerance is { } t ? Inv($"Stan's rule with tolerance {t} and a stationary trace, at most {options.Steps} steps") : Inv($"exactly {options.Steps} steps");
        return Inv($"Settings: as `vinfer fit` (VariationalFit): {stop}, then {defaults.AverageSteps} averaging steps (none after natural-gradient full-rank steps); {(options.Particles is { } p ? p.ToString(CultureInfo.InvariantCulture) : "the fit's default " + defaults.Particles.ToString(CultureInfo.InvariantCulture))} particles per step; start {start}; {options.Restarts} start{(options.Restarts == 1 ? "" : "s")} per fit; {options.Draws} draws; seed {options.Seed}.");
    }

    /// <summary>A markdown table of the rows, then the per-family counts.</summary>
    public static string ToMarkdown(IReadOnlyList<PosteriordbAccuracyRow> rows, PosteriordbAccuracyOptions options)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var sb = new StringBuilder();
        sb.AppendLine(Settings(options));
        sb.AppendLine();
        sb.AppendLine("| posterior | family | reported max \\|Δmean\\|/sd_ref (worst) | moments | guide draws' max \\|Δmean\\|/sd_ref (worst) | guide sd/sd_ref range | k̂ | verdict | steps | seconds |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            if (r.Failed)
            {
                sb.AppendLine(Inv($"| {r.Posterior} | {FamilyCell(r)} | failed: {Escape(r.Failure!)} | | | | | failed | | {r.Seconds:F1} |"));
                continue;
            }
            string reported = r.Reported is { } rep ? Inv($"{rep.MaxMeanError:F3} ({rep.WorstParameter})") : "";
            sb.AppendLine(Inv($"| {r.Posterior} | {FamilyCell(r)} | {reported} | {r.Reported?.Source} | {r.MaxMeanError:F3} ({r.WorstParameter}) | {r.MinSdRatio:F3} – {r.MaxSdRatio:F3} | {r.KHat:F2} | {VerdictCell(r)} | {r.Steps} | {r.Seconds:F1} |"));
        }
        sb.AppendLine();
        sb.AppendLine(Inv($"| family | posteriors | every reported mean ≤ {AccurateThreshold} sd | every guide-draw mean ≤ {AccurateThreshold} sd | verdict good | good and ≤ {AccurateThreshold} sd | > {PosteriordbAccuracyRow.FailureThreshold} sd off | of those called good | failed | seconds |"));
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var group in rows.GroupBy(r => r.Requested))
        {
            var g = group.ToList();
            sb.AppendLine(Inv($"| {group.Key} | {g.Count} | {g.Count(r => r.AnswerMaxMeanError <= AccurateThreshold)} | {g.Count(r => r.MaxMeanError <= AccurateThreshold)} | {g.Count(r => r.Verdict?.Trust == FitTrust.Good)} | {g.Count(r => r.Verdict?.Trust == FitTrust.Good && r.AnswerMaxMeanError <= AccurateThreshold)} | {g.Count(r => !r.Failed && !(r.AnswerMaxMeanError <= PosteriordbAccuracyRow.FailureThreshold))} | {g.Count(r => r.UnflaggedFailure)} | {g.Count(r => r.Failed)} | {g.Sum(r => r.Seconds):F0} |"));
        }
        return sb.ToString();
    }

    /// <summary>The rows as JSON (with every parameter's error and sd ratio, the verdict and its reasons).</summary>
    public static string ToJson(IReadOnlyList<PosteriordbAccuracyRow> rows, PosteriordbAccuracyOptions options)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(options);
        var arr = new JsonArray();
        foreach (var r in rows)
        {
            var ps = new JsonObject();
            foreach (var (name, err, ratio) in r.Parameters) ps[name] = new JsonObject { ["mean_error_sd"] = Num(err), ["sd_ratio"] = Num(ratio) };
            var row = new JsonObject
            {
                ["posterior"] = r.Posterior, ["family"] = r.Family.Name, ["requested"] = r.Requested,
                ["max_mean_error_sd"] = Num(r.MaxMeanError), ["worst_parameter"] = r.WorstParameter,
                ["sd_ratio_min"] = Num(r.MinSdRatio), ["sd_ratio_max"] = Num(r.MaxSdRatio), ["k_hat"] = Num(r.KHat), ["reading"] = r.Reading,
                ["verdict"] = r.VerdictName,
                ["verdict_reasons"] = r.Verdict is { } v ? new JsonArray(v.Reasons.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray()) : null,
                ["reported"] = r.Reported is { } rep
                    ? new JsonObject { ["moments"] = rep.Source, ["max_mean_error_sd"] = Num(rep.MaxMeanError), ["worst_parameter"] = rep.WorstParameter,
                        ["sd_ratio_min"] = Num(rep.MinSdRatio), ["sd_ratio_max"] = Num(rep.MaxSdRatio) }
                    : null,
                ["reweighted_max_mean_error_sd"] = r.ReweightedMaxMeanError is { } e ? Num(e) : null,
                ["reweighting_shift"] = r.Verdict?.Shift is { } shift
                    ? new JsonObject { ["parameter"] = shift.Parameter, ["shift_sd"] = Num(shift.Shift), ["standard_error_sd"] = Num(shift.StandardError) }
                    : null,
                ["restart_elbos"] = r.RestartElbos is { } elbos ? new JsonArray(elbos.Select(Num).ToArray()) : null,
                ["family_escalation"] = r.Escalation is { } attempts
                    ? new JsonArray(attempts.Select(a => (JsonNode?)new JsonObject { ["family"] = a.Family, ["k_hat"] = Num(a.KHat), ["outcome"] = a.Outcome }).ToArray())
                    : null,
                ["failure"] = r.Failure,
                ["steps"] = r.Steps, ["seconds"] = Num(r.Seconds), ["parameters"] = ps,
            };
            arr.Add(row);
        }
        var settings = options.AlphaMoments is { } a
            ? new JsonObject { ["method"] = "alpha-moments", ["alpha"] = a.Alpha, ["damping"] = a.Damping, ["samples"] = a.Samples, ["steps"] = a.Steps,
                ["average_steps"] = a.AverageSteps, ["init_scale"] = a.InitScale, ["draws"] = options.Draws, ["seed"] = options.Seed }
            : new JsonObject
            {
                ["method"] = "advi", ["protocol"] = options.UsesFixedSteps ? "fixed-steps" : "vinfer-fit", ["steps"] = options.Steps,
                ["tolerance"] = options.UsesFixedSteps || options.Tolerance is not { } tol ? null : tol,
                ["particles"] = options.Particles is { } p ? p : options.UsesFixedSteps ? PosteriordbAccuracyOptions.FixedStepsParticles : new FitOptions().Particles,
                ["learning_rate"] = options.LearningRate ?? (options.UsesFixedSteps ? PosteriordbAccuracyOptions.FixedStepsLearningRate : new FitOptions().LearningRate),
                ["averaged_fraction"] = options.UsesFixedSteps ? options.AveragedFraction : null,
                ["restarts"] = options.Restarts,
                ["initialization"] = options.Initialization.ToString(), ["draws"] = options.Draws, ["seed"] = options.Seed,
            };
        var root = new JsonObject { ["settings"] = settings, ["rows"] = arr };
        return root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    private static string FamilyCell(PosteriordbAccuracyRow r) => r.Requested == r.Family.Name || r.Failed ? r.Requested : $"{r.Requested} → {r.Family.Name}";

    private static string VerdictCell(PosteriordbAccuracyRow r)
    {
        if (r.Verdict is not { } v) return "failed";
        if (v.Trust == FitTrust.Good) return "good";
        // the reasons' first words say why: "k̂ = …", "restarts disagree", "the objective still moves", …
        var why = v.Reasons.Select(x => x.Split(':')[0]).Distinct();
        return $"{FitVerdict.TrustName(v.Trust)} ({Escape(string.Join("; ", why))})";
    }

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(v) : JsonValue.Create(v.ToString(CultureInfo.InvariantCulture));

    private static string Inv(FormattableString s) => FormattableString.Invariant(s);
}
