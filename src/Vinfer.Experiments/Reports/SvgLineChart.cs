using System.Globalization;
using ScottPlot;

namespace Vinfer.Experiments.Reports;

/// <summary>
/// A self-contained SVG line chart on logarithmic axes (both base 10), one line with markers per series and a
/// legend, drawn with ScottPlot; points with a non-positive or non-finite coordinate are skipped (a log axis cannot show them).
/// </summary>
public sealed class SvgLineChart
{
    private readonly List<(string Name, List<(double X, double Y)> Points)> _series = new();
    private static readonly string[] Colours = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

    /// <summary>A chart with a title and axis labels.</summary>
    public SvgLineChart(string title, string xLabel, string yLabel)
    {
        Title = title;
        XLabel = xLabel;
        YLabel = yLabel;
    }

    /// <summary>The title above the plot.</summary>
    public string Title { get; }

    /// <summary>The horizontal axis label.</summary>
    public string XLabel { get; }

    /// <summary>The vertical axis label.</summary>
    public string YLabel { get; }

    /// <summary>Width of the whole figure in pixels.</summary>
    public int Width { get; init; } = 640;

    /// <summary>Height of the whole figure in pixels.</summary>
    public int Height { get; init; } = 400;

    /// <summary>Adds a series (points in any order; drawn sorted by x).</summary>
    public void AddSeries(string name, IEnumerable<(double X, double Y)> points) =>
        _series.Add((name, points.Where(p => p.X > 0 && p.Y > 0 && double.IsFinite(p.X) && double.IsFinite(p.Y)).OrderBy(p => p.X).ToList()));

    /// <summary>The SVG document, drawn by ScottPlot on base-10 logarithmic axes (decade ticks labelled, minor ticks between).</summary>
    public string Render()
    {
        var plot = new Plot();
        plot.Title(Title, size: 14);
        plot.XLabel(XLabel, size: 12);
        plot.YLabel(YLabel, size: 12);
        for (int i = 0; i < _series.Count; i++)
        {
            var (name, points) = _series[i];
            if (points.Count == 0) continue;
            var line = plot.Add.Scatter(points.Select(p => Math.Log10(p.X)).ToArray(), points.Select(p => Math.Log10(p.Y)).ToArray());
            line.Color = Color.FromHex(Colours[i % Colours.Length]);
            line.LegendText = name;
            line.MarkerSize = 6;
            line.LineWidth = 1.5f;
        }
        plot.Axes.Bottom.TickGenerator = LogTicks();
        plot.Axes.Left.TickGenerator = LogTicks();
        plot.ShowLegend(Alignment.UpperRight);
        // without the XML prolog, so the document can also be inlined in HTML or Markdown
        string svg = plot.GetSvgXml(Width, Height);
        return svg[svg.IndexOf("<svg", StringComparison.Ordinal)..];
    }

    /// <summary>Ticks for an axis whose coordinates are log10 of the values: labels at whole decades, log-spaced minor ticks.</summary>
    private static ScottPlot.TickGenerators.NumericAutomatic LogTicks() => new()
    {
        MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = v => Math.Pow(10, v).ToString("G4", CultureInfo.InvariantCulture),
    };
}
