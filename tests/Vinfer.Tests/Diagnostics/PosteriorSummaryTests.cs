using Vinfer.Diagnostics;

namespace Vinfer.Tests.Diagnostics;

public class PosteriorSummaryTests
{
    [Fact]
    public void HandComputedSummary()
    {
        // values 1..10 shuffled: mean 5.5, sd √(82.5/9); type 7: h = 9p → q5 = 1.45, q50 = 5.5, q95 = 9.55
        double[] draws = [7, 3, 10, 1, 5, 9, 2, 8, 4, 6];
        var s = PosteriorSummary.Compute("theta[1]", draws);
        Assert.Equal("theta[1]", s.Name);
        Assert.Equal(5.5, s.Mean, 1e-14);
        Assert.Equal(Math.Sqrt(82.5 / 9), s.Sd, 1e-14);
        Assert.Equal(1.45, s.Q5, 1e-14);
        Assert.Equal(5.5, s.Q50, 1e-14);
        Assert.Equal(9.55, s.Q95, 1e-14);
        Assert.Equal(10, s.Draws);
    }

    [Fact]
    public void QuantilesMatchNumpyDefault()
    {
        // type 7 (numpy.quantile default) of [0.3, -1.2, 4.0, 2.2, 0.0] at 0.05, 0.5, 0.95: h = 4p → -0.96, 0.3, 3.64
        double[] sorted = [-1.2, 0.0, 0.3, 2.2, 4.0];
        Assert.Equal(-0.96, PosteriorSummary.Quantile(sorted, 0.05), 1e-14);
        Assert.Equal(0.3, PosteriorSummary.Quantile(sorted, 0.5), 1e-14);
        Assert.Equal(3.64, PosteriorSummary.Quantile(sorted, 0.95), 1e-14);
        Assert.Equal(4.0, PosteriorSummary.Quantile(sorted, 1.0));
        Assert.Equal(-1.2, PosteriorSummary.Quantile(sorted, 0.0));
    }

    [Fact]
    public void ColumnsOfRowMajorDraws()
    {
        double[] draws = [1, 10, 2, 20, 3, 30];
        var s = PosteriorSummary.ComputeColumns(["a", "b"], draws);
        Assert.Equal(2.0, s[0].Mean, 1e-15);
        Assert.Equal(20.0, s[1].Mean, 1e-15);
        Assert.Equal(10.0, s[1].Sd, 1e-14);
        Assert.Throws<ArgumentException>(() => PosteriorSummary.ComputeColumns(["a", "b"], new double[5]));
        var e = Assert.Throws<ArgumentException>(() => PosteriorSummary.Compute("mu", [1, double.NaN]));
        Assert.Contains("mu", e.Message);
    }

    [Fact]
    public void SdIsAccurateForLargeOffsets()
    {
        double[] draws = [1e9 + 1, 1e9 + 2, 1e9 + 3];
        Assert.Equal(1.0, PosteriorSummary.Compute("x", draws).Sd, 1e-9);
    }
}
