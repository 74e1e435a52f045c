using MathNet.Numerics;
using Vinfer.Random;

namespace Vinfer.Tests.Random;

/// <summary>Chi-square goodness of fit and moments for the discrete samplers, n = 10^5, fixed seeds.</summary>
public class DiscreteSamplerTests
{
    private const int N = 100_000;
    private static readonly RandomKey Key = new(777);

    private static double PoissonProbability(double mean, long k) =>
        Math.Exp(-mean + k * Math.Log(mean) - SpecialFunctions.GammaLn(k + 1.0));

    [Theory]
    [InlineData(0.5)]
    [InlineData(3.3)]
    [InlineData(9.99)]
    [InlineData(10)]
    [InlineData(25)]
    [InlineData(1e4)]
    public void Poisson(double mean)
    {
        var x = new double[N];
        Sample.Poisson(Key, mean, x);
        Assert.All(x, k => Assert.True(k >= 0 && k == Math.Floor(k)));
        SampleStatistics.AssertMoments(x, mean, mean, $"poisson({mean})");
        long high = (long)(mean + 20 * Math.Sqrt(mean) + 30);
        SampleStatistics.AssertChiSquare(x.Select(k => (long)k).ToArray(), k => PoissonProbability(mean, k), 0, high, $"poisson({mean})");
    }

    [Fact]
    public void PoissonOfZeroIsZero()
    {
        var x = new double[100];
        Sample.Poisson(Key, 0, x);
        Assert.All(x, k => Assert.Equal(0, k));
    }

    [Fact]
    public void LogFactorialMatchesLogGamma()
    {
        foreach (double k in new[] { 0, 1, 5, 63, 64, 65, 100, 1e4, 1e8 })
            Assert.Equal(SpecialFunctions.GammaLn(k + 1), Sample.LogFactorial(k), 1e-12 * Math.Max(1, SpecialFunctions.GammaLn(k + 1)));
    }

    private static readonly double[] Weights = [0.1, 0, 0.25, 0.05, 0.6];

    [Fact]
    public void CategoricalFromProbabilities()
    {
        var draws = new int[N];
        Sample.Categorical(Key, Weights.Select(w => w * 3).ToArray(), draws); // unnormalized on purpose
        Assert.DoesNotContain(1, draws);
        SampleStatistics.AssertChiSquare(draws.Select(d => (long)d).ToArray(), k => Weights[k], 0, Weights.Length - 1, "categorical");
    }

    [Fact]
    public void CategoricalPerRow()
    {
        // Rows alternate between two distributions; each half is checked against its own.
        double[] other = [0.5, 0.5, 0, 0, 0];
        int k = Weights.Length;
        var probabilities = new double[N * k];
        for (int r = 0; r < N; r++) (r % 2 == 0 ? Weights : other).CopyTo(probabilities, r * k);
        var draws = new int[N];
        Sample.Categorical(Key, probabilities, k, draws);
        SampleStatistics.AssertChiSquare(draws.Where((_, r) => r % 2 == 0).Select(d => (long)d).ToArray(), c => Weights[c], 0, k - 1, "categorical rows (even)");
        SampleStatistics.AssertChiSquare(draws.Where((_, r) => r % 2 == 1).Select(d => (long)d).ToArray(), c => other[c], 0, k - 1, "categorical rows (odd)");
    }

    [Fact]
    public void CategoricalFromLogits()
    {
        // Huge offsets: Gumbel-max never exponentiates, so logits of ±1e3 work; −∞ is impossible.
        double[] logits = Weights.Select(w => w > 0 ? Math.Log(w) + 1000 : double.NegativeInfinity).ToArray();
        var draws = new int[N];
        Sample.CategoricalFromLogits(Key, logits, draws);
        Assert.DoesNotContain(1, draws);
        SampleStatistics.AssertChiSquare(draws.Select(d => (long)d).ToArray(), k => Weights[k], 0, Weights.Length - 1, "categorical logits");

        int rows = N / 2;
        var matrix = new double[rows * logits.Length];
        for (int r = 0; r < rows; r++) logits.CopyTo(matrix, r * logits.Length);
        var rowDraws = new int[rows];
        Sample.CategoricalFromLogits(Key, matrix, logits.Length, rowDraws);
        SampleStatistics.AssertChiSquare(rowDraws.Select(d => (long)d).ToArray(), k => Weights[k], 0, Weights.Length - 1, "categorical logit rows");
        // Row r of the matrix form uses the same Gumbels as draw r of the broadcast form.
        Assert.Equal(draws.AsSpan(0, rows).ToArray(), rowDraws);
    }
}

public class BinomialSamplerTests
{
    private const int N = 100_000;
    private static readonly RandomKey Key = new(4242);

    [Theory]
    [InlineData(1, 0.3)]
    [InlineData(20, 0.05)]
    [InlineData(20, 0.95)]
    [InlineData(30, 0.5)]
    [InlineData(1000, 0.02)]
    [InlineData(1000, 0.3)]
    [InlineData(100000, 0.7)]
    public void FitsTheBinomialPmf(double trials, double probability)
    {
        var x = new double[N];
        Sample.Binomial(Key, trials, probability, x);
        SampleStatistics.AssertMoments(x, trials * probability, trials * probability * (1 - probability), $"binomial({trials}, {probability})");
        SampleStatistics.AssertChiSquare(x.Select(k => (long)k).ToArray(),
            k => MathNet.Numerics.Distributions.Binomial.PMF(probability, (int)trials, (int)k), 0, (long)trials, $"binomial({trials}, {probability})");
    }

    [Fact]
    public void DegenerateCasesAndErrors()
    {
        var x = new double[50];
        Sample.Binomial(Key, 7, 1, x);
        Assert.All(x, k => Assert.Equal(7, k));
        Sample.Binomial(Key, 7, 0, x);
        Assert.All(x, k => Assert.Equal(0, k));
        Sample.Binomial(Key, 0, 0.5, x);
        Assert.All(x, k => Assert.Equal(0, k));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Sample.Binomial(Key, 2.5, 0.5, x));
        Assert.Contains("Binomial: trials must be a non-negative integer (at most 2^53), got 2.5", error.Message);
        error = Assert.Throws<ArgumentOutOfRangeException>(() => Sample.Binomial(Key, 3, 1.5, x));
        Assert.Contains("Binomial: probability must be in [0, 1], got 1.5", error.Message);
        var thread1 = new double[200_001];
        var threadN = new double[200_001];
        using (ParallelFill.LimitThreads(1)) Sample.Binomial(Key, 500, 0.4, thread1);
        using (ParallelFill.LimitThreads(3)) Sample.Binomial(Key, 500, 0.4, threadN);
        Assert.Equal(thread1, threadN);
    }
}
