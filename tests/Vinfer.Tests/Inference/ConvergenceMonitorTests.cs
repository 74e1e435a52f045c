using Vinfer.Inference;

namespace Vinfer.Tests.Inference;

public class ConvergenceMonitorTests
{
    [Fact]
    public void HandComputedTrace()
    {
        var m = new ConvergenceMonitor(tolerance: 0.01, windowSize: 2);
        // Stan counts the ELBO before the first evaluation as 0: the first relative change is 1
        Assert.False(m.Record(-200));
        Assert.Equal(1.0, m.RelativeChange);
        Assert.False(m.Record(-110));
        Assert.Equal(90.0 / 110, m.RelativeChange, 1e-15);
        Assert.False(m.Record(-100));
        Assert.Equal(0.1, m.RelativeChange, 1e-15);
        Assert.False(m.Record(-99.5));
        // window {0.1, 0.005025}: mean 0.0525; the median of two is the upper one, 0.1
        Assert.Equal((0.1 + 0.5 / 99.5) / 2, m.MeanRelativeChange, 1e-15);
        Assert.Equal(0.1, m.MedianRelativeChange, 1e-15);
        Assert.True(m.Record(-99.4));
        Assert.True(m.MeanConverged);
        Assert.True(m.MedianConverged);
        Assert.Equal(5, m.Evaluations);
    }

    [Fact]
    public void MedianIgnoresASpikeTheMeanDoesNot()
    {
        var m = new ConvergenceMonitor(0.01, windowSize: 5);
        double[] trace = [-1000, -1001, -1000, -1500, -1500.5, -1501, -1500, -1500.2];
        foreach (var e in trace) m.Record(e);
        // window holds the last five changes: the spike 500/1500 ≈ 0.33 and four changes below 1e-3
        Assert.False(m.MeanConverged);
        Assert.True(m.MedianConverged);
        Assert.True(m.Converged);
    }

    [Fact]
    public void GeometricConvergenceStopsWhereTheRuleSays()
    {
        // ELBO_k = −100 − 50·0.7^k: relative changes shrink geometrically
        const double tol = 1e-3;
        var m = new ConvergenceMonitor(tol, windowSize: 4);
        var changes = new List<double>();
        double previous = 0;
        int stoppedAt = -1;
        for (int k = 1; k <= 200 && stoppedAt < 0; k++)
        {
            double elbo = -100 - 50 * Math.Pow(0.7, k);
            changes.Add(Math.Abs((previous - elbo) / elbo));
            previous = elbo;
            if (m.Record(elbo)) stoppedAt = k;
        }
        // independent check: the first k where the mean or the upper median of the last 4 changes is below tol
        int expected = -1;
        for (int k = 1; k <= changes.Count && expected < 0; k++)
        {
            var window = changes.Skip(Math.Max(0, k - 4)).Take(Math.Min(k, 4)).ToArray();
            var sorted = window.OrderBy(x => x).ToArray();
            if (window.Average() < tol || sorted[sorted.Length / 2] < tol) expected = k;
        }
        Assert.True(stoppedAt > 5);
        Assert.Equal(expected, stoppedAt);
    }

    [Fact]
    public void NoisyPlateauConvergesDivergingTraceIsFlagged()
    {
        var rng = new System.Random(3);
        var m = ConvergenceMonitor.ForStan(maxIterations: 10000, evalElbo: 100, tolerance: 0.01);
        Assert.Equal(10, m.WindowSize);
        int k = 0;
        while (!m.Record(-1000 + 5 * (rng.NextDouble() - 0.5)) && k < 100) k++;
        Assert.True(m.Converged);
        Assert.True(k < 5);

        var diverging = new ConvergenceMonitor(0.01, 10);
        for (int i = 0; i < 12; i++) diverging.Record(i % 2 == 0 ? -10 : -1000);
        Assert.False(diverging.Converged);
        Assert.True(diverging.MayBeDiverging);

        Assert.Equal(2, ConvergenceMonitor.ForStan(1000, 100).WindowSize);
        diverging.Reset();
        Assert.Equal(0, diverging.Evaluations);
        Assert.False(diverging.Record(-5)); // starts over: first change is 1 again
    }
}
