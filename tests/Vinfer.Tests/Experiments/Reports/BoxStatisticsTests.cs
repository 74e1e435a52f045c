using Vinfer.Experiments.Reports;

namespace Vinfer.Tests.Experiments.Reports;

public class BoxStatisticsTests
{
    [Fact]
    public void QuartilesInterpolateAndOutliersFollowTukeysFences()
    {
        var box = BoxStatistics.FromSample([5.0, 1.0, 3.0, 2.0, 4.0, 100.0, double.NaN])!;
        Assert.Equal(6, box.Count);
        Assert.Equal(2.25, box.LowerQuartile, 12);   // h = 5·0.25 = 1.25 → 2 + 0.25·(3 − 2)
        Assert.Equal(3.5, box.Median, 12);
        Assert.Equal(4.75, box.UpperQuartile, 12);
        Assert.Equal(5.0, box.UpperWhisker);          // fence 4.75 + 1.5·2.5 = 8.5
        Assert.Equal([100.0], box.Outliers);
        Assert.Null(BoxStatistics.FromSample([double.NaN]));
    }

    [Fact]
    public void SvgContainsOneBoxPerFilledCellAndEscapesText()
    {
        var plot = new SvgBoxPlot("a < b", ["2", "4"], ["em", "vem"], "iterations");
        int panel = plot.AddPanel("ψ", reference: 0.88);
        plot.SetBox(panel, 0, 0, BoxStatistics.FromSample([0.8, 0.9, 1.0]), "12");
        plot.SetBox(panel, 1, 1, BoxStatistics.FromSample([0.7, 0.85, 0.9]), "30");
        string svg = plot.Render();
        Assert.StartsWith("<svg", svg);
        Assert.Contains("a &lt; b", svg);
        // ScottPlot stores the 0.35 fill alpha as 89/255: 2 legend swatches + 2 boxes
        Assert.Equal(2 + 2, svg.Split("fill-opacity=\"0.34901962\"").Length - 1);
        Assert.Equal(1 + 1, svg.Split("<svg").Length - 1); // the figure and its one panel
        Assert.EndsWith("</svg>\n", svg);
    }
}
