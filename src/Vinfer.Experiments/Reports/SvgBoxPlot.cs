using System.Globalization;
using System.Text;

namespace Vinfer.Experiments.Reports;

/// <summary>
/// A grouped box-plot figure written as plain SVG text: one panel per quantity, category groups along the x axis
/// (e.g. iteration counts), one coloured box per series (e.g. method) in each group, an optional dashed reference
/// line (e.g. the true value) and a short annotation under each box (e.g. the mean number of runs).
/// No dependencies; the output is deterministic for identical input.
/// </summary>
public sealed class SvgBoxPlot
{
    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];
    private readonly List<Panel> _panels = [];

    /// <summary>Creates a figure with the given category labels (x groups) and series names (boxes per group).</summary>
    public SvgBoxPlot(string title, IReadOnlyList<string> categories, IReadOnlyList<string> series, string categoryAxisLabel)
    {
        if (categories.Count == 0) throw new ArgumentException("SvgBoxPlot: at least one category is needed.", nameof(categories));
        if (series.Count == 0) throw new ArgumentException("SvgBoxPlot: at least one series is needed.", nameof(series));
        Title = title;
        Categories = categories.ToArray();
        Series = series.ToArray();
        CategoryAxisLabel = categoryAxisLabel;
    }

    /// <summary>The figure title.</summary>
    public string Title { get; }

    /// <summary>Labels of the x-axis groups.</summary>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>Names of the series, one box per series in each group.</summary>
    public IReadOnlyList<string> Series { get; }

    /// <summary>The x-axis label.</summary>
    public string CategoryAxisLabel { get; }

    /// <summary>Panel width in pixels.</summary>
    public int PanelWidth { get; init; } = 520;

    /// <summary>Panel height in pixels.</summary>
    public int PanelHeight { get; init; } = 260;

    /// <summary>Panels per row.</summary>
    public int Columns { get; init; } = 2;

    /// <summary>Adds a panel titled <paramref name="title"/>, with an optional dashed horizontal reference line.</summary>
    public int AddPanel(string title, double? reference = null)
    {
        _panels.Add(new Panel(title, reference, new BoxStatistics?[Categories.Count, Series.Count], new string?[Categories.Count, Series.Count]));
        return _panels.Count - 1;
    }

    /// <summary>Sets the box for (<paramref name="category"/>, <paramref name="series"/>) in a panel, with an optional annotation drawn below it.</summary>
    public void SetBox(int panel, int category, int series, BoxStatistics? box, string? annotation = null)
    {
        _panels[panel].Boxes[category, series] = box;
        _panels[panel].Annotations[category, series] = annotation;
    }

    /// <summary>The figure as an SVG document.</summary>
    public string Render()
    {
        const int top = 40, legendHeight = 28, marginLeft = 70, marginRight = 16, marginTop = 28, marginBottom = 58;
        int rows = (_panels.Count + Columns - 1) / Columns;
        int width = Columns * PanelWidth, height = top + legendHeight + rows * PanelHeight;
        var sb = new StringBuilder();
        sb.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"11\">\n"));
        sb.Append(Invariant($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n"));
        sb.Append(Invariant($"<text x=\"{width / 2}\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">{Escape(Title)}</text>\n"));
        for (int s = 0; s < Series.Count; s++)
        {
            int x = 20 + s * 140;
            sb.Append(Invariant($"<rect x=\"{x}\" y=\"{top}\" width=\"14\" height=\"12\" fill=\"{Colour(s)}\" fill-opacity=\"0.35\" stroke=\"{Colour(s)}\"/>"));
            sb.Append(Invariant($"<text x=\"{x + 20}\" y=\"{top + 10}\">{Escape(Series[s])}</text>\n"));
        }

        for (int p = 0; p < _panels.Count; p++)
        {
            var panel = _panels[p];
            double x0 = (p % Columns) * PanelWidth + marginLeft, y0 = top + legendHeight + (p / Columns) * PanelHeight + marginTop;
            double plotWidth = PanelWidth - marginLeft - marginRight, plotHeight = PanelHeight - marginTop - marginBottom;
            var (lo, hi) = Range(panel);
            double Y(double v) => y0 + plotHeight * (1.0 - (v - lo) / (hi - lo));

            sb.Append(Invariant($"<g>\n<text x=\"{x0 + plotWidth / 2:F1}\" y=\"{y0 - 10:F1}\" text-anchor=\"middle\" font-size=\"13\">{Escape(panel.Title)}</text>\n"));
            sb.Append(Invariant($"<rect x=\"{x0:F1}\" y=\"{y0:F1}\" width=\"{plotWidth:F1}\" height=\"{plotHeight:F1}\" fill=\"none\" stroke=\"#444\"/>\n"));
            foreach (double tick in Ticks(lo, hi))
            {
                sb.Append(Invariant($"<line x1=\"{x0 - 4:F1}\" x2=\"{x0 + plotWidth:F1}\" y1=\"{Y(tick):F1}\" y2=\"{Y(tick):F1}\" stroke=\"#ddd\"/>"));
                sb.Append(Invariant($"<text x=\"{x0 - 6:F1}\" y=\"{Y(tick) + 4:F1}\" text-anchor=\"end\">{FormatTick(tick)}</text>\n"));
            }
            if (panel.Reference is double reference && reference >= lo && reference <= hi)
                sb.Append(Invariant($"<line x1=\"{x0:F1}\" x2=\"{x0 + plotWidth:F1}\" y1=\"{Y(reference):F1}\" y2=\"{Y(reference):F1}\" stroke=\"#000\" stroke-dasharray=\"5,4\"/>\n"));

            double groupWidth = plotWidth / Categories.Count;
            double boxWidth = Math.Min(28.0, 0.8 * groupWidth / Series.Count);
            for (int c = 0; c < Categories.Count; c++)
            {
                double groupCentre = x0 + (c + 0.5) * groupWidth;
                sb.Append(Invariant($"<text x=\"{groupCentre:F1}\" y=\"{y0 + plotHeight + 14:F1}\" text-anchor=\"middle\">{Escape(Categories[c])}</text>\n"));
                for (int s = 0; s < Series.Count; s++)
                {
                    double cx = groupCentre + (s - (Series.Count - 1) / 2.0) * boxWidth * 1.15;
                    string colour = Colour(s);
                    if (panel.Annotations[c, s] is string note)
                        sb.Append(Invariant($"<text x=\"{cx:F1}\" y=\"{y0 + plotHeight + 28 + 11 * s:F1}\" text-anchor=\"middle\" font-size=\"9\" fill=\"{colour}\">{Escape(note)}</text>\n"));
                    if (panel.Boxes[c, s] is not BoxStatistics box) continue;
                    double left = cx - boxWidth / 2, right = cx + boxWidth / 2;
                    double yq1 = Clamp(Y(box.LowerQuartile)), yq3 = Clamp(Y(box.UpperQuartile));
                    sb.Append(Invariant($"<line x1=\"{cx:F1}\" x2=\"{cx:F1}\" y1=\"{Clamp(Y(box.LowerWhisker)):F1}\" y2=\"{yq1:F1}\" stroke=\"{colour}\"/>"));
                    sb.Append(Invariant($"<line x1=\"{cx:F1}\" x2=\"{cx:F1}\" y1=\"{Clamp(Y(box.UpperWhisker)):F1}\" y2=\"{yq3:F1}\" stroke=\"{colour}\"/>"));
                    sb.Append(Invariant($"<rect x=\"{left:F1}\" y=\"{yq3:F1}\" width=\"{boxWidth:F1}\" height=\"{Math.Max(yq1 - yq3, 0.5):F1}\" fill=\"{colour}\" fill-opacity=\"0.35\" stroke=\"{colour}\"/>"));
                    sb.Append(Invariant($"<line x1=\"{left:F1}\" x2=\"{right:F1}\" y1=\"{Clamp(Y(box.Median)):F1}\" y2=\"{Clamp(Y(box.Median)):F1}\" stroke=\"{colour}\" stroke-width=\"2\"/>\n"));
                    foreach (double o in box.Outliers)
                        if (o >= lo && o <= hi)
                            sb.Append(Invariant($"<circle cx=\"{cx:F1}\" cy=\"{Y(o):F1}\" r=\"2\" fill=\"none\" stroke=\"{colour}\"/>"));
                }
            }
            sb.Append(Invariant($"<text x=\"{x0 + plotWidth / 2:F1}\" y=\"{y0 + plotHeight + 28 + 11 * Series.Count + 4:F1}\" text-anchor=\"middle\" fill=\"#444\">{Escape(CategoryAxisLabel)}</text>\n</g>\n"));

            double Clamp(double v) => Math.Clamp(v, y0, y0 + plotHeight);
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    // The y range covers the boxes and whiskers (not far outliers, which are clipped) and the reference line.
    private (double Lo, double Hi) Range(Panel panel)
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var box in panel.Boxes)
        {
            if (box is null) continue;
            lo = Math.Min(lo, box.LowerWhisker);
            hi = Math.Max(hi, box.UpperWhisker);
        }
        if (panel.Reference is double r) { lo = Math.Min(lo, r); hi = Math.Max(hi, r); }
        if (!double.IsFinite(lo) || !double.IsFinite(hi)) return (0.0, 1.0);
        if (hi - lo < 1e-12 * Math.Max(1.0, Math.Abs(hi))) { lo -= 0.5; hi += 0.5; }
        double pad = 0.06 * (hi - lo);
        return (lo - pad, hi + pad);
    }

    private static IEnumerable<double> Ticks(double lo, double hi)
    {
        double raw = (hi - lo) / 5.0, magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = magnitude * (raw / magnitude < 1.5 ? 1 : raw / magnitude < 3.5 ? 2 : raw / magnitude < 7.5 ? 5 : 10);
        for (double t = Math.Ceiling(lo / step) * step; t <= hi; t += step)
            yield return Math.Abs(t) < 1e-12 * step ? 0.0 : t;
    }

    private static string FormatTick(double v) => v.ToString("G4", CultureInfo.InvariantCulture);

    private static string Colour(int series) => Palette[series % Palette.Length];

    private static string Escape(string text) =>
        text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private sealed record Panel(string Title, double? Reference, BoxStatistics?[,] Boxes, string?[,] Annotations);
}
