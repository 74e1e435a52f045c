using Vinfer.Conjugate;
using Vinfer.Random;

namespace Vinfer.Tests.Conjugate;

/// <summary>
/// The exponential-family factors: expected sufficient statistics and the closed-form KL against Monte Carlo
/// (fixed seeds, 5 standard errors), and the generic exponential-family KL against the library's KL registry.
/// </summary>
public class ConjugateFactorTests
{
    private static void AssertWithin(double estimate, double standardError, double exact, string what) =>
        Assert.True(Math.Abs(estimate - exact) <= 5 * standardError + 1e-12, $"{what}: Monte Carlo {estimate} ± {standardError}, closed form {exact}");

    private static NormalWishart Q3() => new([0.5, -1.0, 2.0], 2.5, [0.8, 0.2, -0.1, 0.2, 1.1, 0.3, -0.1, 0.3, 0.6], 6.5);

    private static NormalWishart P3() => new([0.0, 0.0, 1.0], 1.0, [0.5, 0.0, 0.0, 0.0, 0.5, 0.1, 0.0, 0.1, 0.5], 3.0);

    [Fact]
    public void NormalWishartExpectedStatisticsMatchMonteCarlo()
    {
        var q = Q3();
        int m = q.NaturalDimension, d = 3;
        var exact = new double[m];
        q.ExpectedSufficientStatistics(exact);
        const int draws = 20_000;
        var sum = new double[m]; var squares = new double[m]; var t = new double[m];
        var mean = new double[d]; var precision = new double[d * d];
        var root = new RandomKey(3);
        for (int s = 0; s < draws; s++)
        {
            q.Sample(root.Child(s), mean, precision);
            NormalWishart.SufficientStatistics(mean, precision, t);
            for (int i = 0; i < m; i++) { sum[i] += t[i]; squares[i] += t[i] * t[i]; }
        }
        for (int i = 0; i < m; i++)
        {
            double average = sum[i] / draws;
            AssertWithin(average, Math.Sqrt((squares[i] / draws - average * average) / draws), exact[i], $"E[T][{i}]");
        }
    }

    [Fact]
    public void NormalWishartKullbackLeiblerMatchesMonteCarlo()
    {
        var q = Q3(); var p = P3();
        const int draws = 20_000;
        double sum = 0, squares = 0;
        var mean = new double[3]; var precision = new double[9];
        var root = new RandomKey(4);
        for (int s = 0; s < draws; s++)
        {
            q.Sample(root.Child(s), mean, precision);
            double v = q.LogDensity(mean, precision) - p.LogDensity(mean, precision);
            sum += v; squares += v * v;
        }
        double average = sum / draws;
        AssertWithin(average, Math.Sqrt((squares / draws - average * average) / draws), q.KullbackLeiblerTo(p), "KL(NW ‖ NW)");
        Assert.Equal(0.0, q.KullbackLeiblerTo(q), 10);
    }

    [Fact]
    public void NormalWishartNaturalParametersRoundTrip()
    {
        var q = Q3();
        var eta = new double[q.NaturalDimension];
        q.NaturalParameters(eta);
        var back = NormalWishart.FromNatural(eta, 3);
        Assert.Equal(q.Beta, back.Beta, 12);
        Assert.Equal(q.Degrees, back.Degrees, 12);
        for (int i = 0; i < 3; i++) Assert.Equal(q.Mean[i], back.Mean[i], 12);
        for (int i = 0; i < 9; i++) Assert.Equal(q.Scale[i], back.Scale[i], 10);
    }

    [Fact]
    public void NormalGammaExpectationsAndKullbackLeibler()
    {
        var q = new NormalGamma(0.7, 3.0, 4.5, 2.0);
        var p = new NormalGamma(0.0, 1.0, 1.5, 0.5);
        var exact = new double[4];
        q.ExpectedSufficientStatistics(exact);
        const int draws = 40_000;
        var sum = new double[4]; var squares = new double[4];
        double klSum = 0, klSquares = 0;
        var root = new RandomKey(5);
        for (int s = 0; s < draws; s++)
        {
            var (mu, tau) = q.Sample(root.Child(s));
            double[] t = [tau * mu, -0.5 * tau * mu * mu, -0.5 * tau, 0.5 * Math.Log(tau)];
            for (int i = 0; i < 4; i++) { sum[i] += t[i]; squares[i] += t[i] * t[i]; }
            double v = q.LogDensity(mu, tau) - p.LogDensity(mu, tau);
            klSum += v; klSquares += v * v;
        }
        for (int i = 0; i < 4; i++)
        {
            double average = sum[i] / draws;
            AssertWithin(average, Math.Sqrt((squares[i] / draws - average * average) / draws), exact[i], $"E[T][{i}]");
        }
        double kl = klSum / draws;
        AssertWithin(kl, Math.Sqrt((klSquares / draws - kl * kl) / draws), q.KullbackLeiblerTo(p), "KL(NG ‖ NG)");
        // The Gamma part through the registry plus the expected Gaussian KL, ½(β₀/β − 1 − log(β₀/β) + β₀ E[τ](m − m₀)²).
        double gamma = Vinfer.Distributions.KullbackLeibler.Divergence(q.PrecisionDistribution(), p.PrecisionDistribution()).Item();
        double normal = 0.5 * (p.Beta / q.Beta - 1 - Math.Log(p.Beta / q.Beta) + p.Beta * q.ExpectedPrecision * (q.Mean - p.Mean) * (q.Mean - p.Mean));
        Assert.Equal(gamma + normal, q.KullbackLeiblerTo(p), 10);
    }

    [Fact]
    public void GammaPoissonAndBetaBernoulliExponentialFormsEqualTheRegistry()
    {
        var g = new GammaPoisson(2.5, 1.5).Posterior(totalCount: 12, observations: 4);
        var gPrior = new GammaPoisson(2.5, 1.5);
        Assert.Equal(14.5, g.Shape); Assert.Equal(5.5, g.Rate);
        Assert.Equal(g.KullbackLeiblerTo(gPrior), ExponentialFamily.KullbackLeibler(g, gPrior), 10);
        Assert.Equal(g.Entropy(), ExponentialFamily.Entropy(g), 10);

        var b = new BetaBernoulli(1.0, 1.0).Posterior(successes: 7, trials: 10);
        var bPrior = new BetaBernoulli(1.0, 1.0);
        Assert.Equal(8.0, b.First); Assert.Equal(4.0, b.Second);
        Assert.Equal(b.KullbackLeiblerTo(bPrior), ExponentialFamily.KullbackLeibler(b, bPrior), 10);
        Assert.Equal(b.Entropy(), ExponentialFamily.Entropy(b), 10);
    }

    [Fact]
    public void StickBreakingExpectedLogWeightsMatchMonteCarlo()
    {
        var sticks = new StickBreakingWeights([3.0, 2.0, 5.0], [4.0, 6.0, 1.5]);
        var exact = new double[3];
        sticks.ExpectedLogWeights(exact);
        const int draws = 40_000;
        var sum = new double[3]; var squares = new double[3];
        var v = new double[1];
        var root = new RandomKey(6);
        for (int s = 0; s < draws; s++)
        {
            double remaining = 0;
            for (int k = 0; k < 3; k++)
            {
                Sample.Beta(root.Child(s).Child(k), k == 0 ? 3.0 : k == 1 ? 2.0 : 5.0, k == 0 ? 4.0 : k == 1 ? 6.0 : 1.5, v);
                double logWeight = Math.Log(v[0]) + remaining;
                remaining += Math.Log(1 - v[0]);
                sum[k] += logWeight; squares[k] += logWeight * logWeight;
            }
        }
        for (int k = 0; k < 3; k++)
        {
            double average = sum[k] / draws;
            AssertWithin(average, Math.Sqrt((squares[k] / draws - average * average) / draws), exact[k], $"E[log π_{k}]");
        }
        var statistics = new double[6];
        StickBreakingWeights.StatisticsOfCounts([2.0, 3.0, 5.0], statistics);
        Assert.Equal([2.0, 8.0, 3.0, 5.0, 5.0, 0.0], statistics);
    }
}
