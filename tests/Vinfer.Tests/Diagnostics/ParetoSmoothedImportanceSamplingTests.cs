using Vinfer.Diagnostics;

namespace Vinfer.Tests.Diagnostics;

public class ParetoSmoothedImportanceSamplingTests
{
    private static double StandardNormal(System.Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    /// <summary>
    /// Ratios that are exact generalized-Pareto draws with shape ξ: the tail above any threshold is again GPD(ξ), so
    /// k̂ estimates ξ. S = 10⁶ draws give a tail of M = 3000; the ML standard error is (1+ξ)/√M ≤ 0.035, and the
    /// tolerance is 4 standard errors plus the prior's pull (ξ−0.5)·10/(M+10).
    /// </summary>
    [Theory]
    [InlineData(0.2, 11)]
    [InlineData(0.6, 12)]
    [InlineData(0.9, 13)]
    public void KHatOfExactParetoRatios(double xi, int seed)
    {
        const int s = 400_000;
        var rng = new System.Random(seed);
        var logRatios = new double[s];
        for (int i = 0; i < s; i++)
            logRatios[i] = Math.Log((Math.Pow(1 - rng.NextDouble(), -xi) - 1) / xi) + 3.0; // shift: k̂ is scale-free
        var result = ParetoSmoothedImportanceSampling.Smooth(logRatios);
        Assert.Equal(1898, result.TailLength);
        double se = (1 + xi) / Math.Sqrt(1898);
        Assert.True(Math.Abs(result.KHat - xi) < 4 * se + Math.Abs(xi - 0.5) * 10 / 1908.0, $"ξ = {xi}: k̂ = {result.KHat}");
    }

    /// <summary>
    /// Proposal N(0, 1), target N(0, σ²) with σ &gt; 1: P(w &gt; t) decays like t^(−1/(1 − 1/σ²)), so the tail shape is
    /// k = 1 − 1/σ². The tail is regularly varying only up to a log factor, so finite-S estimates converge slowly;
    /// the tolerance (0.1) covers that bias at S = 10⁵ (tail M = 949).
    /// </summary>
    [Theory]
    [InlineData(1.25)] // k = 0.36
    [InlineData(2.0)]  // k = 0.75
    public void KHatOfNormalTargetOverNarrowerNormalProposal(double sigma)
    {
        const int s = 100_000;
        var rng = new System.Random(5);
        var logRatios = new double[s];
        for (int i = 0; i < s; i++)
        {
            double z = StandardNormal(rng);
            logRatios[i] = -Math.Log(sigma) - 0.5 * z * z / (sigma * sigma) + 0.5 * z * z;
        }
        var result = ParetoSmoothedImportanceSampling.Smooth(logRatios);
        double k = 1 - 1 / (sigma * sigma);
        Assert.True(Math.Abs(result.KHat - k) < 0.1, $"σ = {sigma}: k̂ = {result.KHat}, k = {k}");
        Assert.Equal(sigma > 1.5 ? ParetoKReading.Unreliable : ParetoKReading.Good, result.Reading);
    }

    /// <summary>
    /// Target Exp(0.2) over proposal Exp(1): w(z) = 0.2·e^(0.8z) with z ~ Exp(1) has an exact Pareto tail,
    /// P(w &gt; t) ∝ t^(−1/0.8), so k = 0.8 (infinite variance: must read "not to be trusted"). S = 10⁵, M = 949:
    /// tolerance 4·(1+k)/√M.
    /// </summary>
    [Fact]
    public void KHatOfExponentialTargetOverLighterProposal()
    {
        const int s = 100_000;
        var rng = new System.Random(8);
        var logRatios = new double[s];
        for (int i = 0; i < s; i++)
        {
            double z = -Math.Log(1 - rng.NextDouble());
            logRatios[i] = Math.Log(0.2) - 0.2 * z + z;
        }
        var result = ParetoSmoothedImportanceSampling.Smooth(logRatios);
        Assert.True(Math.Abs(result.KHat - 0.8) < 4 * 1.8 / Math.Sqrt(949), $"k̂ = {result.KHat}");
        Assert.Equal(ParetoKReading.Unreliable, result.Reading);
    }

    [Fact]
    public void GoodProposalGivesLowKHat()
    {
        // target N(0, 0.9²) under proposal N(0, 1): bounded ratios
        const int s = 4000;
        var rng = new System.Random(9);
        var logRatios = new double[s];
        for (int i = 0; i < s; i++)
        {
            double z = StandardNormal(rng);
            logRatios[i] = -Math.Log(0.9) - 0.5 * z * z / 0.81 + 0.5 * z * z;
        }
        var result = ParetoSmoothedImportanceSampling.Smooth(logRatios);
        Assert.True(result.KHat < 0.3, $"k̂ = {result.KHat}");
        Assert.Equal(ParetoKReading.Good, result.Reading);

        // exact proposal (ratios constant): bounded weights, k̂ = 0, uniform normalized weights
        var exact = ParetoSmoothedImportanceSampling.Smooth(Enumerable.Repeat(-12.5, 1000).ToArray());
        Assert.Equal(0, exact.KHat);
        Assert.All(exact.NormalizedLogWeights(), w => Assert.Equal(-Math.Log(1000), w, 1e-12));
    }

    [Fact]
    public void SmoothingReplacesOnlyTheTailKeepsOrderAndTruncates()
    {
        const int s = 2000;
        var rng = new System.Random(10);
        var logRatios = new double[s];
        for (int i = 0; i < s; i++) logRatios[i] = 2 * StandardNormal(rng) + 7;
        var result = ParetoSmoothedImportanceSampling.Smooth(logRatios);
        int m = (int)Math.Ceiling(Math.Min(0.2 * s, 3 * Math.Sqrt(s)));
        Assert.Equal(m, result.TailLength);
        var order = Enumerable.Range(0, s).OrderBy(i => logRatios[i]).ToArray();
        double max = logRatios.Max();
        for (int r = 0; r < s; r++)
        {
            int i = order[r];
            if (r < s - m) Assert.Equal(logRatios[i], result.LogWeights[i], 1e-12);
            else Assert.True(result.LogWeights[i] <= max + 1e-12);
            if (r > 0) Assert.True(result.LogWeights[i] >= result.LogWeights[order[r - 1]] - 1e-12);
        }
        double logSum = 0;
        var normalized = result.NormalizedLogWeights();
        logSum = normalized.Select(Math.Exp).Sum();
        Assert.Equal(1.0, logSum, 1e-12);
    }

    [Fact]
    public void GeneralizedParetoQuantileIsTheInverseCdf()
    {
        foreach (var (xi, sigma) in new[] { (0.5, 2.0), (-0.3, 1.0), (0.0, 1.5) })
            foreach (var p in new[] { 0.01, 0.5, 0.99 })
            {
                double q = GeneralizedParetoFit.Quantile(p, xi, sigma);
                double cdf = xi == 0 ? 1 - Math.Exp(-q / sigma) : 1 - Math.Pow(1 + xi * q / sigma, -1 / xi);
                Assert.Equal(p, cdf, 1e-12);
            }
    }

    [Fact]
    public void BadInputIsRejected()
    {
        Assert.Throws<ArgumentException>(() => ParetoSmoothedImportanceSampling.Smooth(new double[5]));
        var withNaN = new double[100];
        withNaN[17] = double.NaN;
        var e = Assert.Throws<ArgumentException>(() => ParetoSmoothedImportanceSampling.Smooth(withNaN));
        Assert.Contains("17", e.Message);
        Assert.Equal(ParetoKReading.Usable, ParetoSmoothedImportanceSampling.Read(0.6));
        Assert.Equal(ParetoKReading.Unreliable, ParetoSmoothedImportanceSampling.Read(double.PositiveInfinity));
        Assert.Equal(0.7, ParetoSmoothedImportanceSampling.SampleSizeThreshold(100_000), 1e-15);
        Assert.Equal(0.5, ParetoSmoothedImportanceSampling.SampleSizeThreshold(100), 1e-15);
    }
}
