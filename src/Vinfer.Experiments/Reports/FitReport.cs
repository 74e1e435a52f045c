using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ScottPlot;
using Vinfer.Data;

namespace Vinfer.Experiments.Reports;

/// <summary>
/// One self-contained HTML page about a fit, from its output folder: the ELBO trace (summary.json's
/// <c>elbo_trace</c>), k̂ and the verdict (summary.json's <c>verdict</c>, else k̂ with its reading after Yao et al.,
/// ICML 2018), each parameter's marginal histogram from draws.csv (with a reference posterior's mean and 5–95 %
/// interval overlaid when a posteriordb reference.json is given), and a pair plot of the most correlated parameters.
/// Figures are drawn with ScottPlot and embedded as base64 PNG, so the page needs no other file.
/// </summary>
public static class FitReport
{
    /// <summary>At most this many marginals are drawn (the table lists every parameter).</summary>
    public const int MaxMarginals = 64;

    /// <summary>Parameters in the pair plot.</summary>
    public const int PairPlotSize = 4;

    /// <summary>The page for the fit in <paramref name="dir"/> (summary.json and draws.csv), with an optional posteriordb reference.json.</summary>
    public static string Build(string dir, string? referencePath)
    {
        string summaryPath = Path.Combine(dir, "summary.json");
        if (!File.Exists(summaryPath)) throw new FileNotFoundException($"'{summaryPath}' does not exist: give the --out folder of a fit.", summaryPath);
        var summary = JsonNode.Parse(File.ReadAllText(summaryPath)) as JsonObject ?? throw new FormatException($"{summaryPath}: expected a JSON object.");
        var draws = StanCsvDraws.Load(Path.Combine(dir, "draws.csv"));
        var reference = referencePath is null ? null : LoadReference(referencePath);

        var html = new StringBuilder();
        string title = $"{Text(summary["model"])} — {Text(summary["family"])}";
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(Encode("Vinfer fit: " + title)).Append("</title>\n");
        html.Append("<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px;color:#222}table{border-collapse:collapse}")
            .Append("td,th{padding:2px 8px;border-bottom:1px solid #ddd;text-align:right}th:first-child,td:first-child{text-align:left}")
            .Append(".grid{display:flex;flex-wrap:wrap;gap:4px}.good{color:#1a7f37}.usable{color:#9a6700}.bad{color:#cf222e}")
            .Append(".pairs td{border:none;padding:0;text-align:center;vertical-align:middle}</style></head><body>\n");
        html.Append("<h1>").Append(Encode(title)).Append("</h1>\n<p>")
            .Append(Encode(FormattableString.Invariant($"{Text(summary["method"])}, {Text(summary["steps"])} steps{StopNote(summary)}, ELBO {Text(summary["elbo"])}, {draws.Columns.FirstOrDefault()?.Length ?? 0} draws")))
            .Append("</p>\n");

        AppendVerdict(html, summary);
        AppendElboTrace(html, summary);
        AppendTable(html, summary, draws, reference);
        AppendMarginals(html, draws, reference);
        AppendPairPlot(html, draws);
        html.Append("<p><small>Written by Vinfer ").Append(Encode(Vinfer.VinferInfo.Version)).Append(" from ").Append(Encode(Path.GetFullPath(dir))).Append(".</small></p>\n</body></html>\n");
        return html.ToString();
    }

    private static void AppendVerdict(StringBuilder html, JsonObject summary)
    {
        html.Append("<h2>Verdict</h2>\n");
        double? kHat = summary["k_hat"]?.GetValue<double>();
        string kClass = kHat is not { } k ? "" : k < 0.5 ? "good" : k < 0.7 ? "usable" : "bad";
        html.Append("<p class=\"").Append(kClass).Append("\" id=\"khat\">")
            .Append(Encode(kHat is { } kh ? FormattableString.Invariant($"PSIS k̂ = {kh:F2}: {Text(summary["k_hat_reading"])}") : $"PSIS k̂: n/a ({Text(summary["k_hat_reading"])})"))
            .Append("</p>\n");
        if (summary["verdict"] is JsonObject verdict)
        {
            html.Append("<table id=\"verdict\">");
            foreach (var (key, value) in verdict)
                html.Append("<tr><th>").Append(Encode(key)).Append("</th><td>").Append(Encode(Text(value))).Append("</td></tr>");
            html.Append("</table>\n");
        }
    }

    private static void AppendElboTrace(StringBuilder html, JsonObject summary)
    {
        html.Append("<h2>ELBO trace</h2>\n");
        if (summary["elbo_trace"] is not JsonArray trace || trace.Count == 0)
        {
            html.Append("<p id=\"no-elbo-trace\">summary.json has no <code>elbo_trace</code> (written by Vinfer versions that record it).</p>\n");
            return;
        }
        var steps = trace.Select(e => e!["step"]!.GetValue<double>()).ToArray();
        var elbo = trace.Select(e => e!["elbo"] is JsonValue v ? v.GetValue<double>() : double.NaN).ToArray();
        var plot = new Plot();
        var line = plot.Add.Scatter(steps, elbo);
        line.MarkerSize = elbo.Length > 50 ? 0 : 4;
        plot.XLabel("step");
        plot.YLabel("ELBO");
        // the first steps' ELBO is often orders of magnitude below the rest: zoom on the last 90 % of the trace
        var tail = elbo.Skip(elbo.Length / 10).Where(double.IsFinite).ToArray();
        if (tail.Length > 1 && tail.Max() > tail.Min())
        {
            double pad = 0.05 * (tail.Max() - tail.Min());
            plot.Axes.SetLimitsY(tail.Min() - pad, tail.Max() + pad);
        }
        Image(html, plot, 800, 320, "elbo-trace", "ELBO trace");
    }

    private static void AppendTable(StringBuilder html, JsonObject summary, StanCsvDraws draws, IReadOnlyDictionary<string, ReferenceSummary>? reference)
    {
        html.Append("<h2>Parameters</h2>\n<table id=\"parameters\"><tr><th>parameter</th><th>mean</th><th>sd</th><th>5%</th><th>50%</th><th>95%</th>");
        if (reference is not null) html.Append("<th>reference mean</th><th>reference sd</th>");
        html.Append("</tr>\n");
        if (summary["parameters"] is JsonObject parameters)
            foreach (var (name, node) in parameters)
            {
                html.Append("<tr><td>").Append(Encode(name)).Append("</td>");
                foreach (var key in new[] { "mean", "sd", "q5", "q50", "q95" }) html.Append("<td>").Append(Encode(Number(node?[key]))).Append("</td>");
                if (reference is not null)
                {
                    reference.TryGetValue(CmdStanCsvWriter.ColumnName(name), out var r);
                    html.Append("<td>").Append(r is null ? "" : G4(r.Mean)).Append("</td><td>").Append(r is null ? "" : G4(r.Sd)).Append("</td>");
                }
                html.Append("</tr>\n");
            }
        html.Append("</table>\n");
    }

    private static void AppendMarginals(StringBuilder html, StanCsvDraws draws, IReadOnlyDictionary<string, ReferenceSummary>? reference)
    {
        html.Append("<h2>Marginals</h2>\n");
        if (reference is not null) html.Append("<p>Histogram: the fit's draws. Red line: the reference mean; red band: its 5–95 % interval.</p>\n");
        int shown = Math.Min(draws.Names.Length, MaxMarginals);
        if (shown < draws.Names.Length) html.Append($"<p>The first {shown} of {draws.Names.Length} parameters.</p>\n");
        html.Append("<div class=\"grid\">\n");
        for (int j = 0; j < shown; j++)
        {
            var values = draws.Columns[j].Where(double.IsFinite).ToArray();
            var plot = new Plot();
            plot.Title(draws.Names[j], size: 14);
            if (values.Length > 1 && values.Max() > values.Min())
            {
                var histogram = ScottPlot.Statistics.Histogram.WithBinCount(Math.Clamp((int)Math.Sqrt(values.Length), 10, 50), values);
                plot.Add.Histogram(histogram);
            }
            if (reference is not null && reference.TryGetValue(draws.Names[j], out var r))
            {
                if (r.Q5 is { } lo && r.Q95 is { } hi)
                {
                    var span = plot.Add.HorizontalSpan(lo, hi); // spans the x-range [lo, hi] over the full height
                    span.FillStyle.Color = Colors.Red.WithAlpha(0.15);
                    span.LineStyle.Width = 0;
                }
                var mean = plot.Add.VerticalLine(r.Mean);
                mean.Color = Colors.Red;
                mean.LineWidth = 2;
            }
            plot.Axes.Margins(bottom: 0);
            Image(html, plot, 280, 200, $"marginal-{j}", $"marginal of {draws.Names[j]}");
        }
        html.Append("</div>\n");
    }

    private static void AppendPairPlot(StringBuilder html, StanCsvDraws draws)
    {
        var chosen = MostCorrelated(draws, PairPlotSize, out var correlation);
        html.Append("<h2>Pair plot of the most correlated parameters</h2>\n");
        if (chosen.Count < 2) { html.Append("<p>Fewer than two parameters vary: no pair plot.</p>\n"); return; }
        html.Append("<table class=\"pairs\" id=\"pairs\">\n");
        foreach (int row in chosen)
        {
            html.Append("<tr>");
            foreach (int column in chosen)
            {
                html.Append("<td>");
                var plot = new Plot();
                if (row == column)
                {
                    var histogram = ScottPlot.Statistics.Histogram.WithBinCount(30, draws.Columns[row].Where(double.IsFinite).ToArray());
                    plot.Add.Histogram(histogram);
                    plot.Title(draws.Names[row], size: 12);
                }
                else if (row > column)
                {
                    var points = plot.Add.ScatterPoints(draws.Columns[column], draws.Columns[row]);
                    points.MarkerSize = 2;
                    plot.XLabel(draws.Names[column], size: 11);
                    plot.YLabel(draws.Names[row], size: 11);
                }
                else
                {
                    html.Append(FormattableString.Invariant($"r = {correlation[row, column]:F2}")).Append("</td>");
                    continue;
                }
                Image(html, plot, 220, 220, $"pair-{row}-{column}", $"{draws.Names[row]} against {draws.Names[column]}");
                html.Append("</td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</table>\n");
    }

    /// <summary>
    /// Up to <paramref name="count"/> parameters, taken from the pairs with the largest |correlation| in turn (among the
    /// first 200 columns, to bound the cost), in column order.
    /// </summary>
    internal static List<int> MostCorrelated(StanCsvDraws draws, int count, out double[,] correlation)
    {
        int p = Math.Min(draws.Names.Length, 200);
        correlation = new double[p, p];
        var standardized = new double[p][];
        var varying = new List<int>();
        for (int j = 0; j < p; j++)
        {
            var x = draws.Columns[j];
            double mean = x.Average();
            double sd = Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)));
            standardized[j] = sd > 0 && double.IsFinite(sd) ? x.Select(v => (v - mean) / sd).ToArray() : [];
            if (standardized[j].Length > 0) varying.Add(j);
        }
        var pairs = new List<(double Strength, int A, int B)>();
        foreach (int a in varying)
            foreach (int b in varying)
            {
                if (b <= a) continue;
                double r = 0;
                for (int i = 0; i < standardized[a].Length; i++) r += standardized[a][i] * standardized[b][i];
                correlation[a, b] = correlation[b, a] = r;
                pairs.Add((Math.Abs(r), a, b));
            }
        var chosen = new List<int>();
        foreach (var (_, a, b) in pairs.OrderByDescending(t => t.Strength))
        {
            if (chosen.Count >= count) break;
            if (!chosen.Contains(a)) chosen.Add(a);
            if (chosen.Count < count && !chosen.Contains(b)) chosen.Add(b);
        }
        chosen.Sort();
        return chosen;
    }

    private static void Image(StringBuilder html, Plot plot, int width, int height, string id, string alt)
    {
        byte[] png = plot.GetImageBytes(width, height, ImageFormat.Png);
        html.Append("<img id=\"").Append(id).Append("\" alt=\"").Append(Encode(alt)).Append("\" width=\"").Append(width).Append("\" height=\"").Append(height)
            .Append("\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(png)).Append("\">\n");
    }

    /// <summary>A reference posterior's summary of one quantity.</summary>
    internal sealed record ReferenceSummary(double Mean, double Sd, double? Q5, double? Q95);

    /// <summary>A posteriordb reference.json (parameters: name, mean, sd, q05, q95), keyed by Stan CSV column name.</summary>
    internal static Dictionary<string, ReferenceSummary> LoadReference(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"--reference: '{path}' does not exist.", path);
        var root = JsonNode.Parse(File.ReadAllText(path));
        if (root?["parameters"] is not JsonArray parameters)
            throw new FormatException($"--reference: '{path}' has no \"parameters\" array (expected a posteriordb reference.json).");
        var result = new Dictionary<string, ReferenceSummary>(StringComparer.Ordinal);
        foreach (var q in parameters)
        {
            string name = (string?)q?["name"] ?? throw new FormatException($"--reference: '{path}': a parameter has no \"name\".");
            result[CmdStanCsvWriter.ColumnName(name)] = new ReferenceSummary((double)q!["mean"]!, (double)q["sd"]!, (double?)q["q05"], (double?)q["q95"]);
        }
        return result;
    }

    /// <summary>
    /// Which rule stopped the optimizer, from <c>stopped_by</c> (older files: <c>converged</c>), with the trust
    /// beside it; never "converged" alone, which would read as a claim that the fit is right.
    /// </summary>
    private static string StopNote(JsonObject summary)
    {
        string? stop = summary["stopped_by"] is JsonValue by ? (Text(by) == "step limit" ? "stopped at the step limit" : $"stopped by the {Text(by)}")
            : summary["converged"]?.GetValue<bool>() == true ? "stopped by the convergence rule" : null;
        string? trust = summary["trust"] is JsonValue t ? Text(t) : null;
        return (stop, trust) switch
        {
            (null, null) => "",
            (null, _) => $" (verdict: {trust})",
            (_, null) => $" ({stop})",
            _ => $" ({stop}; verdict: {trust})",
        };
    }

    private static string Text(JsonNode? node) => node switch
    {
        null => "n/a",
        JsonValue v when v.TryGetValue<double>(out var d) => d.ToString("G6", CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };

    private static string Number(JsonNode? node) => node is JsonValue v && v.TryGetValue<double>(out var d) ? G4(d) : "";

    private static string G4(double v) => v.ToString("G4", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
