using System.Globalization;
using System.Text;
using System.Text.Json;
using Vinfer.Experiments.Reports;

namespace Vinfer.Experiments.ImportanceWeighting;

/// <summary>Renders the <see cref="IwSnrStudy"/> points as results.json, a Markdown report and SVG figures.</summary>
public static class IwSnrReport
{
    /// <summary>The machine-readable results (non-finite numbers as null).</summary>
    public static string ToJson(IwSnrOptions options, IReadOnlyList<IwSnrPoint> points)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("study", "iw-snr: gradient SNR of the inference network, IWAE vs DReG (Rainforth et al. 2018) and VR-IWAE vs dimension (Daudel et al. 2023)");
            w.WriteString("snr", "|mean| / sd over independent gradient estimates of the bound with respect to a_1 and b_1 of q(z|x) = N(a*x + b, 2/3 I)");
            w.WriteNumber("seed", options.Seed);
            w.WriteStartArray("points");
            foreach (var p in points)
            {
                w.WriteStartObject();
                w.WriteString("estimator", p.Estimator);
                w.WriteNumber("dimension", p.Dimension);
                w.WriteNumber("samples", p.Samples);
                w.WriteNumber("alpha", p.Alpha);
                w.WriteNumber("copies", p.Copies);
                Number(w, "snr_a", p.SnrA);
                Number(w, "snr_b", p.SnrB);
                Number(w, "mean_a", p.MeanA);
                Number(w, "sd_a", p.SdA);
                Number(w, "mean_b", p.MeanB);
                Number(w, "sd_b", p.SdB);
                w.WriteNumber("seconds", p.Seconds);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void Number(Utf8JsonWriter w, string name, double value) => ReportJson.Number(w, name, value);

    /// <summary>The approximate standard error of an SNR estimated from R estimates, √((1 + SNR²/2)/R).</summary>
    private static double Se(double snr, int copies) => Math.Sqrt((1 + snr * snr / 2) / copies);

    private static string G(double v) => double.IsFinite(v) ? v.ToString("G3", CultureInfo.InvariantCulture) : "n/a";

    /// <summary>The Markdown tables: part 1 by K, part 2 by d for each α (rows N).</summary>
    public static string ToMarkdown(IwSnrOptions options, IReadOnlyList<IwSnrPoint> points)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# iw-snr: gradient signal-to-noise ratios");
        sb.AppendLine();
        sb.AppendLine(FormattableString.Invariant($"SNR = |mean| / sd of independent gradient estimates of the bound with respect to the inference network's a₁ and b₁ (q(z|x) = N(a∘x + b, (2/3) I) on z ~ N(μ, I), x | z ~ N(z, I); Rainforth et al. 2018 §6.1), at a = ½ + δ, b = μ/2 + δ with δ = {options.Offset:G2} in every coordinate (the optimum is a = ½, b = μ/2; μ₁ and x₁ are the same for every d). The a₁ gradient is x₁ times the b₁ gradient, so their SNRs coincide. The standard error of an SNR estimate from R estimates is about √((1 + SNR²/2)/R). Seed {options.Seed}."));
        sb.AppendLine();
        sb.AppendLine(FormattableString.Invariant($"## IWAE vs DReG as K grows (d = {options.Dimension}, {options.Copies} estimates per K)"));
        sb.AppendLine();
        sb.AppendLine("| K | IWAE SNR(b₁) | ± se | DReG SNR(b₁) | ± se | IWAE mean g(b₁) | IWAE sd g(b₁) | DReG mean g(b₁) | DReG sd g(b₁) |");
        sb.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (int k in options.ImportanceSamples)
        {
            var iwae = points.First(p => p.Estimator == "iwae" && p.Samples == k);
            var dreg = points.First(p => p.Estimator == "dreg" && p.Samples == k);
            sb.AppendLine($"| {k} | {G(iwae.SnrB)} | {G(Se(iwae.SnrB, iwae.Copies))} | {G(dreg.SnrB)} | {G(Se(dreg.SnrB, dreg.Copies))} | {G(iwae.MeanB)} | {G(iwae.SdB)} | {G(dreg.MeanB)} | {G(dreg.SdB)} |");
        }
        sb.AppendLine();
        foreach (var estimator in new[] { "vr-iwae" })
            foreach (double alpha in options.Alphas)
            {
                sb.AppendLine(FormattableString.Invariant($"## {(estimator == "vr-iwae" ? "VR-IWAE (reparameterized)" : "VR-IWAE (doubly reparameterized)")} SNR(b₁) as d grows, α = {alpha:G2} ({options.DimensionCopies} estimates per cell)"));
                sb.AppendLine();
                sb.AppendLine("| N \\ d | " + string.Join(" | ", options.Dimensions) + " |");
                sb.AppendLine("|---:|" + string.Concat(options.Dimensions.Select(_ => "---:|")));
                foreach (int n in options.SampleSizes)
                {
                    var cells = options.Dimensions.Select(d => points.First(p => p.Estimator == estimator && p.Dimension == d && p.Samples == n && p.Alpha == alpha));
                    sb.AppendLine($"| {n} | " + string.Join(" | ", cells.Select(c => G(c.SnrB))) + " |");
                }
                sb.AppendLine();
            }
        return sb.ToString();
    }

    /// <summary>Part 1's figure: SNR against K, IWAE and DReG, for a₁ and b₁.</summary>
    public static string SnrByImportanceSamples(IwSnrOptions options, IReadOnlyList<IwSnrPoint> points)
    {
        var chart = new SvgLineChart(FormattableString.Invariant($"Inference-network gradient SNR(b₁) vs K (Gaussian example, d = {options.Dimension})"), "K (importance samples)", "SNR = |mean| / sd");
        foreach (var (name, label) in new[] { ("iwae", "IWAE"), ("dreg", "DReG") })
        {
            var series = points.Where(p => p.Estimator == name && p.Dimension == options.Dimension && p.Alpha == 0).ToList();
            // a₁'s gradient is x₁ times b₁'s: one line per estimator
            chart.AddSeries(label, series.Select(p => ((double)p.Samples, p.SnrB)));
        }
        return chart.Render();
    }

    /// <summary>Part 2's figure for one α and estimator: SNR(b₁) against d, one line per N.</summary>
    public static string SnrByDimension(IwSnrOptions options, IReadOnlyList<IwSnrPoint> points, string estimator, double alpha)
    {
        var chart = new SvgLineChart(FormattableString.Invariant($"{(estimator == "vr-iwae" ? "VR-IWAE" : "VR-IWAE DReG")} gradient SNR(b₁) vs dimension, α = {alpha:G2}"), "d (dimension)", "SNR = |mean| / sd");
        foreach (int n in options.SampleSizes)
            chart.AddSeries($"N = {n}", points.Where(p => p.Estimator == estimator && p.Samples == n && p.Alpha == alpha).Select(p => ((double)p.Dimension, p.SnrB)));
        return chart.Render();
    }

    /// <summary>Every file of the study, by name.</summary>
    public static List<(string Name, string Content)> Files(IwSnrOptions options, IReadOnlyList<IwSnrPoint> points)
    {
        var files = new List<(string, string)>
        {
            ("results.json", ToJson(options, points)),
            ("iw-snr.md", ToMarkdown(options, points)),
            ("snr-vs-k.svg", SnrByImportanceSamples(options, points)),
        };
        foreach (var estimator in new[] { "vr-iwae" })
            foreach (double alpha in options.Alphas)
                files.Add((FormattableString.Invariant($"{estimator}-snr-vs-d-alpha{alpha:F1}.svg"), SnrByDimension(options, points, estimator, alpha)));
        return files;
    }
}
