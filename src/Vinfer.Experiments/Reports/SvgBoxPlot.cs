using System.Globalization;
using System.Text;

namespace Vinfer.Experiments.Reports;

/// <summary>
/// A grouped box-plot figure as one SVG document: one panel per quantity (drawn with ScottPlot), category groups along
/// the x axis (e.g. iteration counts), one coloured box per series (e.g. method) in each group (Tukey's box: quartiles,
/// median, whiskers to the last point within 1.5 IQR, outliers as circles), an optional dashed reference line (e.g.
/// the true value) and short annotations under each group's label (e.g. the mean number of runs, one per series).
/// The output is deterministic for identical input.
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

    /// <summary>
    /// The figure as an SVG document: each panel drawn by ScottPlot (boxes, whiskers, outliers, the dashed reference
    /// line; the annotations under each group's label) and placed in a grid under the title.
    /// </summary>
    public string Render()
    {
        const int top = 36;
        int rows = (_panels.Count + Columns - 1) / Columns;
        int width = Columns * PanelWidth, height = top + rows * PanelHeight;
        var sb = new StringBuilder();
        sb.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\">\n"));
        sb.Append(Invariant($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n"));
        sb.Append(Invariant($"<text x=\"{width / 2}\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">{Escape(Title)}</text>\n"));
        for (int p = 0; p < _panels.Count; p++)
        {
            string panel = PanelPlot(_panels[p], legend: p == 0).GetSvgXml(PanelWidth, PanelHeight);
            panel = panel[panel.IndexOf("<svg", StringComparison.Ordinal)..];
            // a nested <svg> element with its own x and y places the panel in the grid
            sb.Append(Invariant($"<svg x=\"{(p % Columns) * PanelWidth}\" y=\"{top + (p / Columns) * PanelHeight}\" ")).Append(panel["<svg ".Length..]).Append('\n');
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private ScottPlot.Plot PanelPlot(Panel panel, bool legend)
    {
        var plot = new ScottPlot.Plot();
        plot.Title(panel.Title, size: 13);
        double boxWidth = 0.8 / Series.Count;
        for (int s = 0; s < Series.Count; s++)
        {
            var colour = ScottPlot.Color.FromHex(Colour(s));
            var boxes = new List<ScottPlot.Box>();
            var outlierX = new List<double>();
            var outlierY = new List<double>();
            for (int c = 0; c < Categories.Count; c++)
            {
                if (panel.Boxes[c, s] is not BoxStatistics box) continue;
                double x = c + (s - (Series.Count - 1) / 2.0) * boxWidth;
                boxes.Add(new ScottPlot.Box
                {
                    Position = x,
                    Width = boxWidth * 0.85,
                    BoxMin = box.LowerQuartile,
                    BoxMax = box.UpperQuartile,
                    BoxMiddle = box.Median,
                    WhiskerMin = box.LowerWhisker,
                    WhiskerMax = box.UpperWhisker,
                    FillColor = colour.WithAlpha(0.35),
                    LineColor = colour,
                });
                foreach (double o in box.Outliers) { outlierX.Add(x); outlierY.Add(o); }
            }
            if (boxes.Count > 0)
            {
                var plotted = plot.Add.Boxes(boxes);
                plotted.FillColor = colour.WithAlpha(0.35);
                plotted.LineColor = colour;
                if (legend) plotted.LegendText = Series[s];
            }
            if (outlierX.Count > 0)
            {
                var points = plot.Add.ScatterPoints(outlierX.ToArray(), outlierY.ToArray());
                points.Color = colour;
                points.MarkerShape = ScottPlot.MarkerShape.OpenCircle;
                points.MarkerSize = 4;
            }
        }
        if (panel.Reference is double reference)
        {
            var line = plot.Add.HorizontalLine(reference);
            line.LinePattern = ScottPlot.LinePattern.Dashed;
            line.Color = ScottPlot.Colors.Black;
            line.LineWidth = 1;
        }
        // each group's label with the series' annotations (e.g. mean runs per budget) under it
        var labels = Enumerable.Range(0, Categories.Count).Select(c =>
        {
            var notes = Enumerable.Range(0, Series.Count).Select(s => panel.Annotations[c, s]).Where(n => n is not null).ToList();
            return notes.Count == 0 ? Categories[c] : Categories[c] + "\n" + string.Join(" | ", notes);
        }).ToArray();
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, Categories.Count).Select(c => (double)c).ToArray(), labels);
        plot.XLabel(CategoryAxisLabel, size: 11);
        var (lo, hi) = Range(panel);
        plot.Axes.SetLimits(-0.5, Categories.Count - 0.5, lo, hi);
        if (legend) plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        return plot;
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

    private static string Colour(int series) => Palette[series % Palette.Length];

    private static string Escape(string text) =>
        text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private sealed record Panel(string Title, double? Reference, BoxStatistics?[,] Boxes, string?[,] Annotations);
}
