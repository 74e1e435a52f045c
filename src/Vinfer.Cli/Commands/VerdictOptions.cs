using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Vinfer.Diagnostics;
using Vinfer.Inference;

namespace Vinfer.Cli.Commands;

/// <summary>
/// The "did it work?" side of <c>vinfer fit</c>: <c>--restarts</c>, <c>--family auto</c>, <c>--fail-on-khat</c>, and
/// the verdict, metadata, ELBO trace, MCSEs and PSIS-reweighted moments written to summary.json
/// (<see cref="FitVerdict"/>, <see cref="FitRestarts"/>, <see cref="FamilyEscalation"/>).
/// </summary>
public static class VerdictOptions
{
    /// <summary>The family name that selects <see cref="FamilyEscalation"/>.</summary>
    public const string AutoFamily = "auto";

    /// <summary>The exit code of a fit refused by <c>--fail-on-khat</c>.</summary>
    public const int UntrustedExitCode = 3;

    /// <summary>Fits from different initializations.</summary>
    public static readonly Option<int> Restarts = new("--restarts") { Description = "Fits from different initializations (the default start, then Stan's uniform(-2, 2)); the best ELBO is kept and disagreement is reported.", DefaultValueFactory = _ => 1 };

    /// <summary>Non-zero exit when the verdict calls the fit unreliable.</summary>
    public static readonly Option<bool> FailOnKHat = new("--fail-on-khat") { Description = $"Exit with code {UntrustedExitCode} when the verdict calls the fit unreliable (k̂ > 0.7)." };

    /// <summary>Adds the options to the fit command.</summary>
    public static void AddOptions(Command fit)
    {
        fit.Options.Add(Restarts);
        fit.Options.Add(FailOnKHat);
    }

    /// <summary>The restart count asked, checked.</summary>
    public static int RestartCount(ParseResult pr)
    {
        int restarts = pr.GetValue(Restarts);
        if (restarts < 1) throw new ArgumentException($"--restarts is {restarts}, expected at least 1.");
        return restarts;
    }

    /// <summary>Fits with escalation when <paramref name="auto"/>, else with the restarts asked.</summary>
    public static FitResult Fit(Action program, FitOptions options, bool auto) =>
        auto ? FamilyEscalation.Fit(program, options) : FitRestarts.Fit(program, options);

    /// <summary>The exit code: <see cref="UntrustedExitCode"/> with --fail-on-khat and an unreliable verdict, else 0.</summary>
    public static int ExitCode(ParseResult pr, FitResult fit, TextWriter stderr)
    {
        if (fit.Verdict?.Trust != FitTrust.Unreliable || !pr.GetValue(FailOnKHat)) return 0;
        stderr.WriteLine($"vinfer fit: the verdict calls the fit unreliable (--fail-on-khat): {string.Join("; ", fit.Verdict.Reasons)}");
        return UntrustedExitCode;
    }

    /// <summary>
    /// summary.json's <c>stopped_by</c>: "convergence rule" when the optimizer's stopping rule fired, else "step
    /// limit" (the step count given, or the limit reached first). It says nothing of the fit's quality: that is
    /// the verdict's <c>trust</c>.
    /// </summary>
    public static string StoppedBy(FitResult fit) => fit.Run.Converged ? "convergence rule" : "step limit";

    /// <summary>
    /// The header's stop note: which rule stopped the optimizer, with the verdict beside it, so that a stop by the
    /// convergence rule is never read as "the fit is right" (the word "converged" is not used).
    /// </summary>
    public static string StopNote(FitResult fit)
    {
        string stop = fit.Run.Converged ? "stopped by the convergence rule" : "stopped at the step limit";
        return fit.Verdict?.Trust switch
        {
            FitTrust.Unreliable => $" ({stop}, but the verdict calls the fit UNRELIABLE)",
            { } trust => $" ({stop}; verdict: {FitVerdict.TrustName(trust)})",
            null => $" ({stop})",
        };
    }

    /// <summary>The lines printed under the summary table: the verdict, restarts, escalation, PSIS-reweighted moments.</summary>
    public static IEnumerable<string> ScreenLines(FitResult fit)
    {
        if (fit.Verdict is null) yield break;
        yield return fit.Verdict.Describe();
        if (fit.Restarts.Count > 1)
            yield return "restarts (ELBO ± MCSE): " + string.Join(", ", fit.Restarts.Select((r, i) =>
                FormattableString.Invariant($"{i}: {r.Elbo:G6} ± {r.ElboStandardError:G2}{(ReferenceEquals(r, fit) ? " (kept)" : "")}")));
        if (fit.Escalation is { } attempts)
            yield return "family auto: " + string.Join("; ", attempts.Select(a => $"{a.Family} {a.Outcome}"));
        if (fit.Reported.IsPsis)
        {
            // the table is PSIS-reweighted: the guide's own moments beside it
            yield return "the guide's own moments (unweighted draws):";
            var errors = fit.MeanStandardErrors;
            for (int i = 0; i < fit.Summary.Count; i++)
                yield return FormattableString.Invariant($"  {fit.Summary[i].Name} mean {fit.Summary[i].Mean:G4} (mcse {errors[i]:G2}) sd {fit.Summary[i].Sd:G4}");
        }
        else if (fit.Reweighted is { } moments)
        {
            yield return "PSIS-reweighted moments (Yao et al. 2018; k̂ < 0.7, not reported above: see \"moments\"):";
            foreach (var m in moments)
                yield return FormattableString.Invariant($"  {m.Name} mean {m.Mean:G4} (mcse {m.Mcse:G2}) sd {m.Sd:G4}");
        }
    }

    /// <summary>The extra members of summary.json: verdict, elbo_trace, metadata, restarts, family escalation, reweighted moments.</summary>
    public static void AddToSummary(JsonObject root, FitResult fit, JsonObject? metadata)
    {
        if (metadata is not null) root["metadata"] = metadata;
        // each mean's Monte Carlo error by its own estimator: the reported one's, and the guide draws' sd/√S
        void AddMcse(JsonObject? rows, IReadOnlyList<PosteriorSummary> summary, IReadOnlyList<double> errors)
        {
            if (rows is null) return;
            for (int i = 0; i < summary.Count; i++)
                if (rows[summary[i].Name] is JsonObject p) p["mcse"] = Finite(errors[i]);
        }
        AddMcse(root["parameters"] as JsonObject, fit.Reported.Summary, fit.Reported.StandardErrors);
        AddMcse(root["guide_parameters"] as JsonObject, fit.Summary, fit.MeanStandardErrors);
        if (fit.Reported.EffectiveSampleSize is { } ess) root["psis_effective_sample_size"] = Finite(ess);
        if (fit.Verdict is { } v)
        {
            root["trust"] = FitVerdict.TrustName(v.Trust);
            root["verdict"] = new JsonObject
            {
                ["trust"] = FitVerdict.TrustName(v.Trust),
                ["reasons"] = new JsonArray(v.Reasons.Select(r => (JsonNode?)JsonValue.Create(r)).ToArray()),
                ["k_hat"] = Finite(v.KHat),
                ["k_hat_reading"] = v.KHatReading,
                ["restarts"] = v.Restarts is { } rc
                    ? new JsonObject
                    {
                        ["count"] = rc.Elbos.Count,
                        ["elbos"] = new JsonArray(rc.Elbos.Select(e => Finite(e)).ToArray()),
                        ["standard_errors"] = new JsonArray(rc.StandardErrors.Select(e => Finite(e)).ToArray()),
                        ["best"] = rc.Best,
                        ["gap"] = Finite(rc.Gap),
                        ["gap_standard_error"] = Finite(rc.GapStandardError),
                        ["agree"] = rc.Agree,
                    }
                    : null,
                ["stationarity"] = v.Stationarity is { } st
                    ? new JsonObject
                    {
                        ["last_block_change"] = Finite(st.Change),
                        ["standard_error"] = Finite(st.StandardError),
                        ["block_length"] = st.BlockLength,
                        ["stationary"] = st.Stationary,
                    }
                    : null,
                ["max_mcse_over_sd"] = Finite(v.MaxRelativeMonteCarloError),
            };
        }
        var trace = new JsonArray();
        var t = fit.Run.ElboTrace;
        for (int i = 0; i < t.Length; i++) trace.Add((JsonNode)new JsonObject { ["step"] = i + 1, ["elbo"] = Finite(t[i]) });
        root["elbo_trace"] = trace;
        if (fit.Escalation is { } attempts)
            root["family_escalation"] = new JsonArray(attempts.Select(a => (JsonNode?)new JsonObject
            {
                ["family"] = a.Family,
                ["k_hat"] = Finite(a.KHat),
                ["elbo"] = Finite(a.Elbo),
                ["steps"] = a.Steps,
                ["seconds"] = a.Seconds,
                ["outcome"] = a.Outcome,
            }).ToArray());
        if (fit.Reweighted is { } moments)
        {
            var reweighted = new JsonObject();
            foreach (var m in moments) reweighted[m.Name] = new JsonObject { ["mean"] = Finite(m.Mean), ["sd"] = Finite(m.Sd), ["mcse"] = Finite(m.Mcse) };
            root["psis_reweighted"] = new JsonObject
            {
                ["label"] = "PSIS-reweighted moments of the guide draws (Yao et al. 2018), reported because k̂ < 0.7",
                ["parameters"] = reweighted,
            };
        }
    }

    /// <summary>The run's metadata: Vinfer version, seed, family, particles, options given, data file and its SHA-256.</summary>
    public static JsonObject Metadata(ParseResult pr, FitResult fit, int particles)
    {
        var options = new JsonObject();
        foreach (var r in pr.CommandResult.Children.OfType<System.CommandLine.Parsing.OptionResult>())
            if (!r.Implicit) options[r.Option.Name] = string.Join(" ", r.Tokens.Select(t => t.Value));
        string? data = pr.GetValue(FitCommand.Data);
        return new JsonObject
        {
            ["vinfer_version"] = typeof(FitResult).Assembly.GetName().Version?.ToString(3),
            ["seed"] = pr.GetValue(ModelFit.Seed).ToString(CultureInfo.InvariantCulture),
            ["family"] = fit.Family.Name,
            ["particles"] = particles,
            ["restarts"] = fit.Restarts.Count,
            ["options"] = options,
            ["data_file"] = string.IsNullOrEmpty(data) ? null : Path.GetFullPath(data),
            ["data_sha256"] = string.IsNullOrEmpty(data) || !File.Exists(data) ? null : Sha256(data),
        };
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static JsonNode? Finite(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;
}
