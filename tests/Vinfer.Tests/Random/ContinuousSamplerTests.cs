using MathNet.Numerics;
using MathNet.Numerics.Distributions;
using Vinfer.Random;

namespace Vinfer.Tests.Random;

/// <summary>Moments against closed forms and Kolmogorov–Smirnov against MathNet CDFs, n = 10^5, fixed seeds.</summary>
public class ContinuousSamplerTests
{
    private const int N = 100_000;
    private static readonly RandomKey Key = new(20261122);

    private static double[] Fill(Action<double[]> sampler)
    {
        var values = new double[N];
        sampler(values);
        return values;
    }

    [Fact]
    public void Uniform()
    {
        double[] x = Fill(v => Sample.Uniform(Key, v));
        Assert.All(x, u => Assert.True(u > 0 && u < 1));
        SampleStatistics.AssertMoments(x, 0.5, 1.0 / 12, "uniform");
        SampleStatistics.AssertKolmogorovSmirnov(x, u => u, "uniform");
        double[] y = Fill(v => Sample.Uniform(Key.Child(1), -2, 3, v));
        SampleStatistics.AssertMoments(y, 0.5, 25.0 / 12, "uniform(-2, 3)");
        SampleStatistics.AssertKolmogorovSmirnov(y, new ContinuousUniform(-2, 3).CumulativeDistribution, "uniform(-2, 3)");
    }

    [Fact]
    public void Normal()
    {
        double[] z = Fill(v => Sample.Normal(Key, v));
        SampleStatistics.AssertMoments(z, 0, 1, "normal");
        SampleStatistics.AssertKolmogorovSmirnov(z, t => MathNet.Numerics.Distributions.Normal.CDF(0, 1, t), "normal");
        double[] y = Fill(v => Sample.Normal(Key.Child(2), 3, 2, v));
        SampleStatistics.AssertMoments(y, 3, 4, "normal(3, 2)");
        SampleStatistics.AssertKolmogorovSmirnov(y, t => MathNet.Numerics.Distributions.Normal.CDF(3, 2, t), "normal(3, 2)");
    }

    [Fact]
    public void NormalTailsHaveTheRightMass()
    {
        // 2·10^6 draws: P(|Z| > 4) = 6.33e-5 → ~127 expected; Box–Muller with a bad log or uniform would miss it.
        var z = new double[2_000_000];
        Sample.Normal(Key.Child(3), z);
        double p = 2 * MathNet.Numerics.Distributions.Normal.CDF(0, 1, -4);
        long count = z.LongCount(v => Math.Abs(v) > 4);
        double expected = p * z.Length;
        Assert.True(Math.Abs(count - expected) < 5 * Math.Sqrt(expected), $"|Z| > 4: {count} vs {expected:F1}");
        Assert.All(z, v => Assert.True(Math.Abs(v) < 8.6));
    }

    [Fact]
    public void Exponential()
    {
        double[] x = Fill(v => Sample.Exponential(Key, 2, v));
        Assert.All(x, e => Assert.True(e > 0 && double.IsFinite(e)));
        SampleStatistics.AssertMoments(x, 0.5, 0.25, "exponential(2)");
        SampleStatistics.AssertKolmogorovSmirnov(x, t => MathNet.Numerics.Distributions.Exponential.CDF(2, t), "exponential(2)");
    }

    [Fact]
    public void Gumbel()
    {
        double[] x = Fill(v => Sample.Gumbel(Key, 1, 2, v));
        SampleStatistics.AssertMoments(x, 1 + 2 * Constants.EulerMascheroni, 4 * Math.PI * Math.PI / 6, "gumbel(1, 2)");
        SampleStatistics.AssertKolmogorovSmirnov(x, t => Math.Exp(-Math.Exp(-(t - 1) / 2)), "gumbel(1, 2)");
    }

    [Theory]
    [InlineData(1e-3)]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(3.7)]
    [InlineData(1e3)]
    public void Gamma(double shape)
    {
        const double rate = 2;
        double[] x = Fill(v => Sample.Gamma(Key, shape, rate, v));
        Assert.All(x, g => Assert.True(g >= 0 && double.IsFinite(g)));
        SampleStatistics.AssertMoments(x, shape / rate, shape / (rate * rate), $"gamma({shape}, {rate})");
        // MathNet's Gamma CDF returns 0 below x ≈ 1e-15, where small shapes still hold mass: use the series there.
        if (shape >= 0.1) // below that much of the mass sits under 1e-308 (tested in log space instead)
            SampleStatistics.AssertKolmogorovSmirnov(x, t => SampleStatistics.LogGammaCdf(shape, Math.Log(rate * t)), $"gamma({shape}, {rate})");
    }

    [Theory]
    [InlineData(1e-3)]
    [InlineData(0.02)]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(1e3)]
    public void GammaLog(double shape)
    {
        // E[log G] = ψ(a) − log rate, Var[log G] = ψ₁(a); the CDF of log G is P(a, rate·e^t).
        const double rate = 0.5;
        double[] x = Fill(v => Sample.GammaLog(Key, shape, rate, v));
        Assert.All(x, g => Assert.True(double.IsFinite(g)));
        SampleStatistics.AssertMoments(x, SpecialFunctions.DiGamma(shape) - Math.Log(rate), SampleStatistics.Trigamma(shape), $"log gamma({shape})");
        SampleStatistics.AssertKolmogorovSmirnov(x, t => SampleStatistics.LogGammaCdf(shape, t + Math.Log(rate)), $"log gamma({shape})");
    }

    [Theory]
    [InlineData(2, 5)]
    [InlineData(0.5, 0.5)]
    [InlineData(1, 1)]
    [InlineData(0.2, 30)]
    [InlineData(1e-3, 1e-3)]
    [InlineData(1e-3, 2)]
    [InlineData(500, 800)]
    public void Beta(double alpha, double beta)
    {
        double[] x = Fill(v => Sample.Beta(Key, alpha, beta, v));
        Assert.All(x, b => Assert.True(b >= 0 && b <= 1));
        double total = alpha + beta;
        SampleStatistics.AssertMoments(x, alpha / total, alpha * beta / (total * total * (total + 1)), $"beta({alpha}, {beta})");
        if (Math.Min(alpha, beta) >= 0.1)
            SampleStatistics.AssertKolmogorovSmirnov(x, t => MathNet.Numerics.Distributions.Beta.CDF(alpha, beta, t), $"beta({alpha}, {beta})");
        else
        {
            // Tiny parameters: the draws pile up at 0 and 1 in the right proportions; P(X < ½) from MathNet.
            double below = x.Count(b => b < 0.5) / (double)N;
            double p = MathNet.Numerics.Distributions.Beta.CDF(alpha, beta, 0.5);
            Assert.True(Math.Abs(below - p) < 5 * Math.Sqrt(p * (1 - p) / N) + 1e-9, $"P(X < ½) {below} vs {p}");
        }
    }

    [Theory]
    [InlineData(new[] { 0.5, 2.0, 7.5 })]
    [InlineData(new[] { 1e-3, 1e-3, 1e-3, 1e-3 })]
    [InlineData(new[] { 300.0, 1.0 })]
    public void Dirichlet(double[] alpha)
    {
        int k = alpha.Length, rows = N / k;
        var x = new double[rows * k];
        Sample.Dirichlet(Key, alpha, x);
        double total = alpha.Sum();
        for (int r = 0; r < rows; r++)
        {
            double sum = 0;
            for (int j = 0; j < k; j++)
            {
                Assert.True(x[r * k + j] >= 0 && x[r * k + j] <= 1);
                sum += x[r * k + j];
            }
            Assert.True(Math.Abs(sum - 1) < 1e-12, $"row {r} sums to {sum}");
        }
        for (int j = 0; j < k; j++)
        {
            // Each coordinate is Beta(α_j, α₀ − α_j).
            double[] column = Enumerable.Range(0, rows).Select(r => x[r * k + j]).ToArray();
            double mean = alpha[j] / total;
            SampleStatistics.AssertMoments(column, mean, mean * (1 - mean) / (total + 1), $"dirichlet coordinate {j}");
            if (Math.Min(alpha[j], total - alpha[j]) >= 0.1)
                SampleStatistics.AssertKolmogorovSmirnov(column,
                    t => MathNet.Numerics.Distributions.Beta.CDF(alpha[j], total - alpha[j], t), $"dirichlet coordinate {j}");
        }
    }
}
