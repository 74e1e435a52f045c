using System.Globalization;
using System.Text;
using System.Text.Json;
using Vinfer.Experiments.Reports;

namespace Vinfer.Experiments.ObjectiveComparison;

/// <summary>Renders <see cref="ObjectivesStudy"/> rows as results.json, objectives.md and an SVG box plot of the sd ratios.</summary>
public static class ObjectivesStudyReport
{
    /// <summary>The files of the study: results.json, objectives.md, sd-ratios.svg.</summary>
    public static List<(string Name, string Content)> Files(ObjectivesStudyOptions options, IReadOnlyList<ObjectivesStudyRow> rows) =>
    [
        ("results.json", ToJson(options, rows)),
        ("objectives.md", ToMarkdown(options, rows)),
        ("sd-ratios.svg", ToSvg(rows)),
    ];

    /// <summary>The machine-readable results, with every parameter's error and sd ratio (non-finite numbers as strings).</summary>
    public static string ToJson(ObjectivesStudyOptions options, IReadOnlyList<ObjectivesStudyRow> rows)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("study", "objectives: mean-field fits of the posteriordb suite with the ELBO, the Rényi bound, IWAE and the monotonic alpha updates");
            w.WriteStartObject("settings");
            w.WriteNumber("steps", options.Steps);
            w.WriteNumber("importance_samples", options.ImportanceSamples);
            w.WriteNumber("alpha", options.Alpha);
            w.WriteNumber("alpha_updates", options.AlphaUpdates);
            w.WriteNumber("alpha_average_updates", options.AlphaAverageUpdates);
            w.WriteNumber("alpha_samples", options.AlphaSamples);
            w.WriteNumber("draws", options.Draws);
            w.WriteNumber("seed", options.Seed);
            w.WriteStartArray("methods");
            foreach (var m in options.Methods ?? options.StandardMethods)
            {
                w.WriteStartObject();
                w.WriteString("name", m.Name);
                w.WriteString("description", m.Description);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartArray("rows");
            foreach (var r in rows)
            {
                var a = r.Accuracy;
                w.WriteStartObject();
                w.WriteString("posterior", a.Posterior);
                w.WriteString("method", r.Method);
                Number(w, "max_mean_error_sd", a.MaxMeanError);
                w.WriteString("worst_parameter", a.WorstParameter);
                Number(w, "median_mean_error_sd", r.MedianMeanError);
                Number(w, "median_sd_ratio", r.MedianSdRatio);
                Number(w, "min_sd_ratio", a.MinSdRatio);
                Number(w, "max_sd_ratio", a.MaxSdRatio);
                Number(w, "k_hat", a.KHat);
                if (a.Evidence is { } e)
                {
                    Number(w, "elbo", e.Elbo);
                    Number(w, "iwae", e.Iwae);
                    w.WriteNumber("iwae_k", e.IwaeSamples);
                }
                w.WriteNumber("steps", a.Steps);
                w.WriteNumber("seconds", a.Seconds);
                w.WriteStartObject("parameters");
                foreach (var (name, error, ratio) in a.Parameters)
                {
                    w.WriteStartObject(name);
                    Number(w, "mean_error_sd", error);
                    Number(w, "sd_ratio", ratio);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>The Markdown report: one row per posterior and method, then a per-method summary over the suite.</summary>
    public static string ToMarkdown(ObjectivesStudyOptions options, IReadOnlyList<ObjectivesStudyRow> rows)
    {
        var methods = rows.Select(r => r.Method).Distinct().ToList();
        var sb = new StringBuilder();
        sb.AppendLine("# objectives: ELBO, Rényi, IWAE and alpha-moment updates on posteriordb (mean-field)");
        sb.AppendLine();
        foreach (var m in options.Methods ?? options.StandardMethods)
            if (methods.Contains(m.Name)) sb.AppendLine(Inv($"- `{m.Name}`: {m.Description}."));
        sb.AppendLine(Inv($"- Objective fits: {options.Steps} Adam steps, rate 0.05 decayed as 1/(1 + 4·step/steps), the last half of the iterates averaged; {options.Draws} draws per fit; seed {options.Seed}."));
        sb.AppendLine("- Errors in reference sds: max and median over the reference's parameters of |mean_VI − mean_ref| / sd_ref; sd ratio sd_VI / sd_ref (median, min).");
        sb.AppendLine(Inv($"- ELBO and IWAE (K = 16) of the fitted guide from its {options.Draws} draws (the same for every method, so larger is a better guide in KL and in the IWAE sense); seconds include the draws."));
        sb.AppendLine();
        sb.AppendLine("| posterior | method | max err | median err | median sd ratio | min sd ratio | k̂ | ELBO | IWAE-16 | s |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            var a = r.Accuracy;
            sb.AppendLine(Inv($"| {Short(a.Posterior)} | {r.Method} | {F(a.MaxMeanError, 3)} ({a.WorstParameter}) | {F(r.MedianMeanError, 3)} | {F(r.MedianSdRatio, 3)} | {F(a.MinSdRatio, 3)} | {F(a.KHat, 2)} | {F(a.Evidence?.Elbo ?? double.NaN, 2)} | {F(a.Evidence?.Iwae ?? double.NaN, 2)} | {a.Seconds:F1} |"));
        }
        sb.AppendLine();
        sb.AppendLine("Per method over the posteriors: how many have every mean within 0.1 sd, k̂ ≤ 0.7, the median sd ratio within [0.9, 1.1]; the median over posteriors of the median and min sd ratio; total seconds.");
        sb.AppendLine();
        sb.AppendLine("| method | max err ≤ 0.1 | k̂ ≤ 0.7 | median sd ratio in [0.9, 1.1] | median of median sd ratio | median of min sd ratio | seconds |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var m in methods)
        {
            var own = rows.Where(r => r.Method == m).ToList();
            sb.AppendLine(Inv($"| {m} | {own.Count(r => r.Accuracy.MaxMeanError <= 0.1)}/{own.Count} | {own.Count(r => r.Accuracy.KHat <= 0.7)}/{own.Count} | {own.Count(r => r.MedianSdRatio is >= 0.9 and <= 1.1)}/{own.Count} | {F(ObjectivesStudyRow.Median(own.Select(r => r.MedianSdRatio)), 3)} | {F(ObjectivesStudyRow.Median(own.Select(r => r.Accuracy.MinSdRatio)), 3)} | {own.Sum(r => r.Accuracy.Seconds):F1} |"));
        }
        return sb.ToString();
    }

    /// <summary>Box plots of log₂(sd_VI / sd_ref) over each posterior's parameters, one box per method (0 is exact).</summary>
    public static string ToSvg(IReadOnlyList<ObjectivesStudyRow> rows)
    {
        var posteriors = rows.Select(r => r.Accuracy.Posterior).Distinct().ToList();
        var methods = rows.Select(r => r.Method).Distinct().ToList();
        var plot = new SvgBoxPlot("Mean-field sd ratios on posteriordb by objective", posteriors.Select(Short).ToList(), methods, "posterior")
        {
            PanelWidth = Math.Max(520, 90 * posteriors.Count),
            PanelHeight = 340,
            Columns = 1,
        };
        int sd = plot.AddPanel("log2(sd_VI / sd_ref) over the parameters (0 = exact; -1 = half as wide)", 0.0);
        int mean = plot.AddPanel("|mean_VI - mean_ref| / sd_ref over the parameters", 0.1);
        foreach (var r in rows)
        {
            int c = posteriors.IndexOf(r.Accuracy.Posterior), s = methods.IndexOf(r.Method);
            plot.SetBox(sd, c, s, BoxStatistics.FromSample(r.Accuracy.Parameters.Select(p => Math.Log2(p.SdRatio)).ToArray()));
            plot.SetBox(mean, c, s, BoxStatistics.FromSample(r.Accuracy.Parameters.Select(p => p.MeanError).ToArray()));
        }
        return plot.Render();
    }

    /// <summary>The posterior's name without its data-set prefix ("arK-arK" → "arK").</summary>
    private static string Short(string posterior) => posterior[(posterior.IndexOf('-') + 1)..];

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, value);
        else w.WriteString(name, value.ToString(CultureInfo.InvariantCulture));
    }

    private static string F(double v, int digits) => double.IsFinite(v) ? v.ToString("F" + digits, CultureInfo.InvariantCulture) : v.ToString(CultureInfo.InvariantCulture);

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
