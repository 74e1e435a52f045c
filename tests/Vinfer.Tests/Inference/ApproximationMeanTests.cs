using Vinfer.Distributions;
using Vinfer.Inference;
using Vinfer.Modeling;
using Xunit;

namespace Vinfer.Tests.Inference;

public class ApproximationMeanTests
{
    private static LatentSite Site(string name, Constraint support, int count = 1) =>
        new(name, count == 1 ? [] : [count], count == 1 ? 0 : 1, support, [], count == 1 ? [] : [count]);

    [Fact]
    public void EachColumnIsTheConstrainedImageOfTheUnconstrainedMean()
    {
        // columns: real, positive, greater than 2, less than 1, interval (−1, 3), then a deterministic column
        double[][] rows =
        [
            [1.0, 1.0, 3.0, 0.0, 0.0, 10.0],
            [2.0, 4.0, 6.0, -3.0, 2.0, 20.0],
            [6.0, 16.0, 2.5, 0.5, 2.9, 60.0],
        ];
        var draws = new PosteriorDraws(["a", "b", "c", "d", "e", "f"], rows.SelectMany(r => r).ToArray(), new double[3], new double[3]);
        var latents = new[]
        {
            Site("a", Constraints.Real), Site("b", Constraints.Positive), Site("c", Constraints.GreaterThan(2)),
            Site("d", Constraints.LessThan(1)), Site("e", Constraints.Interval(-1, 3)),
        };
        var mean = ApproximationMean.Compute(latents, draws);
        Assert.Equal(3.0, mean[0], 14);
        Assert.Equal(4.0, mean[1], 13);                               // geometric mean of 1, 4, 16
        Assert.Equal(2 + Math.Cbrt(1 * 4 * 0.5), mean[2], 13);        // 2 + geometric mean of 1, 4, 0.5
        Assert.Equal(1 - Math.Cbrt(1 * 4 * 0.5), mean[3], 13);
        double logitMean = (Logit(0.25) + Logit(0.75) + Logit(3.9 / 4)) / 3;
        Assert.Equal(-1 + 4 / (1 + Math.Exp(-logitMean)), mean[4], 13);
        Assert.Equal(30.0, mean[5], 13);                             // deterministic: plain mean
    }

    [Fact]
    public void NonElementwiseSitesTakeThePlainMean()
    {
        var draws = new PosteriorDraws(["s[1]", "s[2]", "s[3]"], [0.2, 0.3, 0.5, 0.4, 0.5, 0.1], new double[2], new double[2]);
        var mean = ApproximationMean.Compute([Site("s", Constraints.Simplex, 3)], draws);
        Assert.Equal([0.3, 0.4, 0.3], mean.Select(v => Math.Round(v, 12)).ToArray());
    }

    private static double Logit(double p) => Math.Log(p / (1 - p));
}
