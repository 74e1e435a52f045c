using System.Globalization;
using System.Text;

namespace Vinfer.Experiments.Reports;

/// <summary>
/// A self-contained SVG line chart on logarithmic axes (both base 10), one polyline with markers per series and a
/// legend; points with a non-positive or non-finite coordinate are skipped (a log axis cannot show them).
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

    /// <summary>The SVG document.</summary>
    public string Render()
    {
        var all = _series.SelectMany(s => s.Points).ToList();
        double xMin = all.Count == 0 ? 1 : Math.Floor(Math.Log10(all.Min(p => p.X))), xMax = all.Count == 0 ? 10 : Math.Ceiling(Math.Log10(all.Max(p => p.X)));
        double yMin = all.Count == 0 ? 0 : Math.Floor(Math.Log10(all.Min(p => p.Y))), yMax = all.Count == 0 ? 1 : Math.Ceiling(Math.Log10(all.Max(p => p.Y)));
        if (xMax <= xMin) xMax = xMin + 1;
        if (yMax <= yMin) yMax = yMin + 1;
        const int left = 70, right = 170, top = 40, bottom = 50;
        double plotWidth = Width - left - right, plotHeight = Height - top - bottom;
        double Px(double x) => left + (Math.Log10(x) - xMin) / (xMax - xMin) * plotWidth;
        double Py(double y) => top + (1 - (Math.Log10(y) - yMin) / (yMax - yMin)) * plotHeight;
        static string F(double v) => v.ToString("F1", CultureInfo.InvariantCulture);
        static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        sb.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">{Escape(Title)}</text>\n");
        sb.Append($"<rect x=\"{left}\" y=\"{top}\" width=\"{F(plotWidth)}\" height=\"{F(plotHeight)}\" fill=\"none\" stroke=\"#444\"/>\n");
        for (double e = xMin; e <= xMax; e++)
        {
            double px = Px(Math.Pow(10, e));
            sb.Append($"<line x1=\"{F(px)}\" y1=\"{top}\" x2=\"{F(px)}\" y2=\"{F(top + plotHeight)}\" stroke=\"#ddd\"/>\n");
            sb.Append($"<text x=\"{F(px)}\" y=\"{F(top + plotHeight + 16)}\" text-anchor=\"middle\">1e{e.ToString(CultureInfo.InvariantCulture)}</text>\n");
        }
        for (double e = yMin; e <= yMax; e++)
        {
            double py = Py(Math.Pow(10, e));
            sb.Append($"<line x1=\"{left}\" y1=\"{F(py)}\" x2=\"{F(left + plotWidth)}\" y2=\"{F(py)}\" stroke=\"#ddd\"/>\n");
            sb.Append($"<text x=\"{left - 6}\" y=\"{F(py + 4)}\" text-anchor=\"end\">1e{e.ToString(CultureInfo.InvariantCulture)}</text>\n");
        }
        sb.Append($"<text x=\"{F(left + plotWidth / 2)}\" y=\"{Height - 12}\" text-anchor=\"middle\">{Escape(XLabel)}</text>\n");
        sb.Append($"<text x=\"16\" y=\"{F(top + plotHeight / 2)}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {F(top + plotHeight / 2)})\">{Escape(YLabel)}</text>\n");
        for (int i = 0; i < _series.Count; i++)
        {
            var (name, points) = _series[i];
            string colour = Colours[i % Colours.Length];
            if (points.Count > 1)
                sb.Append($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{string.Join(' ', points.Select(p => F(Px(p.X)) + "," + F(Py(p.Y))))}\"/>\n");
            foreach (var p in points) sb.Append($"<circle cx=\"{F(Px(p.X))}\" cy=\"{F(Py(p.Y))}\" r=\"3\" fill=\"{colour}\"/>\n");
            double ly = top + 10 + 18 * i;
            sb.Append($"<line x1=\"{F(left + plotWidth + 12)}\" y1=\"{F(ly)}\" x2=\"{F(left + plotWidth + 32)}\" y2=\"{F(ly)}\" stroke=\"{colour}\" stroke-width=\"2\"/>\n");
            sb.Append($"<text x=\"{F(left + plotWidth + 36)}\" y=\"{F(ly + 4)}\">{Escape(name)}</text>\n");
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }
}
