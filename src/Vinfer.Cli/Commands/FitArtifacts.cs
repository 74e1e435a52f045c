using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Vinfer.Inference;
using Vinfer.IO;

namespace Vinfer.Cli.Commands;

/// <summary>
/// The files a built-in model's fit leaves in its output folder beside summary.json and draws.csv: approximation.json
/// (the fitted guide in <see cref="Guides.GuideFile"/>'s versioned format: family, latent sites with their supports,
/// which fix the constraint transforms, and parameters, plus the model, data file and seed that <c>vinfer sample</c>
/// needs to draw more), and with <c>--report</c> the HTML report (<see cref="ReportCommand"/>).
/// </summary>
public static class FitArtifacts
{
    /// <summary>The approximation's file name inside the output folder.</summary>
    public const string ApproximationFileName = "approximation.json";

    /// <summary>Write DIR/report.html after the fit.</summary>
    public static readonly Option<bool> Report = new("--report") { Description = "Also write DIR/report.html (ELBO trace, marginals, k̂ and verdict, pair plot); needs --out DIR." };

    /// <summary>Adds <c>--report</c>.</summary>
    public static void AddOptions(Command fit) => fit.Options.Add(Report);

    /// <summary>Refuses <c>--report</c> without <c>--out</c> before the fit starts.</summary>
    public static void Check(ParseResult parseResult, string? outDir)
    {
        if (parseResult.GetValue(Report) && outDir is null) throw new ArgumentException("--report needs --out DIR (the report is written as DIR/report.html).");
    }

    /// <summary>Writes approximation.json (and report.html with <c>--report</c>) into <paramref name="outDir"/>.</summary>
    public static void Write(ParseResult parseResult, string model, FitResult fit, string outDir)
    {
        // a block guide's local parameters live on the ranks that own their rows: it is not one loadable file
        if (fit.Guide is Guides.BlockGuide) return;
        var approximation = fit.Guide.ToJson(fit.Store);
        approximation["model"] = model;
        approximation["data"] = parseResult.GetValue(FitCommand.Data) is { Length: > 0 } data ? Path.GetFullPath(data) : null;
        approximation["seed"] = parseResult.GetValue(ModelFit.Seed);
        approximation["draws_method"] = fit.ImportanceResampled is { } k ? $"importance-resampled (1 of {k})" : "guide draws";
        AtomicFile.WriteAllText(Path.Combine(outDir, ApproximationFileName), approximation.ToJsonString() + "\n");
        if (parseResult.GetValue(Report))
        {
            string page = ReportCommand.WriteReport(outDir, reference: null);
            parseResult.InvocationConfiguration.Output.WriteLine($"wrote {page}");
        }
    }

    /// <summary>
    /// summary.json's <c>phases</c>: the fit's wall time per phase with the JIT compiler's share
    /// (<see cref="FitPhaseTimes"/>), <c>{name: {seconds, jit_seconds}}</c>; null when the fit did not measure them.
    /// </summary>
    public static JsonObject? PhasesJson(FitResult fit)
    {
        if (fit.Phases.Count == 0) return null;
        var phases = new JsonObject();
        foreach (var p in fit.Phases) phases[p.Name] = new JsonObject { ["seconds"] = p.Seconds, ["jit_seconds"] = p.JitSeconds };
        return phases;
    }

    /// <summary>The settings written into draws.csv's header, under CmdStan's <c>variational</c> section.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> CsvSettings(string model, string family, FitResult fit) =>
    [
        new("model", model),
        new("algorithm", fit.AlphaMoments is null ? family : $"alpha-moments ({family})"),
        new("iter", fit.Run.Steps.ToString(CultureInfo.InvariantCulture)),
        new("eval_elbo", "100"),
        new("output_samples", fit.Draws.Count.ToString(CultureInfo.InvariantCulture)),
    ];
}
