using Vinfer.Distributions;
using Vinfer.Random;
using Vinfer.Tensors;
using MN = MathNet.Numerics.Distributions;
using static Vinfer.Tests.Distributions.DistributionChecks;

namespace Vinfer.Tests.Distributions;

/// <summary>Bernoulli, Categorical, Binomial, Poisson, NegativeBinomial, Multinomial: pmfs, frequencies, gradients.</summary>
public class DiscreteTests
{
    /// <summary>Every cell's empirical frequency within 6 binomial standard errors of its probability.</summary>
    private static void AssertFrequencies(double[] draws, Func<int, double> pmf, int maxValue, string what)
    {
        int n = draws.Length;
        var counts = new int[maxValue + 2];
        foreach (double d in draws) counts[Math.Min((int)d, maxValue + 1)]++;
        for (int k = 0; k <= maxValue; k++)
        {
            double p = pmf(k), f = counts[k] / (double)n, se = Math.Sqrt(p * (1 - p) / n);
            Assert.True(Math.Abs(f - p) <= 6 * se + 1e-12, $"{what}: P({k}) = {p:G5}, frequency {f:G5} (se {se:G3})");
        }
    }

    [Fact]
    public void BernoulliByProbsAndLogits()
    {
        var p = Uniform(1, 0, 1, 50);
        var x = Tensor.FromArray(Enumerable.Range(0, 50).Select(i => (double)(i % 2)).ToArray());
        var a = new Bernoulli(probs: p).LogProb(x).Span;
        var b = new Bernoulli(logits: p.Log() - (1.0 - p).Log()).LogProb(x).Span;
        for (int i = 0; i < 50; i++)
        {
            double e = MN.Bernoulli.PMFLn(p.Span[i], (int)x.Span[i]);
            Assert.Equal(e, a[i], 12); Assert.Equal(e, b[i], 10);
        }
        Assert.Equal(0.0, new Bernoulli(probs: Tensor.Scalar(1.0)).LogProb(Tensor.Scalar(1)).Item()); // boundary: log 1, not NaN
        var draws = Draw(new Bernoulli(probs: Tensor.Scalar(0.3)), 3);
        AssertFrequencies(draws, k => k == 1 ? 0.3 : 0.7, 1, "Bernoulli(0.3)");
        AssertGradient(t => new Bernoulli(logits: t[0]).LogProb(x.Reshape(5, 10)), 1e-6, Uniform(2, -3, 3, 10));
        AssertGradient(t => new Bernoulli(probs: t[0]).LogProb(x.Reshape(5, 10)), 1e-6, Uniform(2, 0.1, 0.9, 10));
        Assert.Equal(-(0.3 * Math.Log(0.3) + 0.7 * Math.Log(0.7)), new Bernoulli(logits: Tensor.Scalar(Math.Log(3.0 / 7))).Entropy().Item(), 12);
        var e2 = Assert.Throws<Vinfer.Distributions.NonFiniteParameterException>(() => new Bernoulli(probs: Tensor.FromArray([0.5, double.NaN]))); // NaN: non-finite, an ArgumentException subclass
        Assert.Contains("Bernoulli", e2.Message); Assert.Contains("'probs'", e2.Message); Assert.Contains("NaN", e2.Message);
        Assert.Throws<ArgumentException>(() => new Bernoulli());
    }

    [Fact]
    public void CategoricalByProbsAndLogits()
    {
        var probs = Tensor.FromArray([0.1, 0.2, 0.3, 0.4, 0.25, 0.25, 0.25, 0.25], 2, 4);
        var d = new Categorical(probs: probs);
        Assert.Equal([2], d.BatchShape);
        var lp = d.LogProb(Tensor.FromArray([3.0, 1.0, 0.0, 2.0], 2, 2));
        Assert.Equal([2, 2], lp.Shape.ToArray());
        Assert.Equal(Math.Log(0.4), lp[0, 0], 13); Assert.Equal(Math.Log(0.25), lp[0, 1], 13); Assert.Equal(Math.Log(0.1), lp[1, 0], 13);
        var single = new Categorical(logits: Tensor.FromArray([0.0, Math.Log(2), Math.Log(3)]));
        AssertFrequencies(Draw(single, 4), k => (k + 1) / 6.0, 2, "Categorical(1:2:3)");
        AssertGradient(t => new Categorical(logits: t[0]).LogProb(Tensor.FromArray([0.0, 2.0, 1.0, 2.0], 4, 1)), 1e-6, Uniform(3, -2, 2, 4, 3));
        double h = -(1 / 6.0 * Math.Log(1 / 6.0) + 2 / 6.0 * Math.Log(2 / 6.0) + 3 / 6.0 * Math.Log(3 / 6.0));
        Assert.Equal(h, single.Entropy().Item(), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Categorical(probs: probs, validateArgs: false).LogProb(Tensor.FromArray([4.0])));
        Assert.Contains("support", Assert.Throws<ArgumentException>(() => d.LogProb(Tensor.FromArray([4.0]))).Message);
    }

    [Fact]
    public void BinomialMatchesMathNetAndSamplesExactly()
    {
        var n = Tensor.FromArray([0.0, 1, 5, 20, 100, 1000]);
        var p = Tensor.FromArray([0.3, 0.9, 0.5, 0.01, 0.7, 0.999]);
        var k = Tensor.FromArray([0.0, 1, 2, 3, 65, 998]);
        var a = new Binomial(n, probs: p).LogProb(k).Span;
        var b = new Binomial(n, logits: p.Log() - (1.0 - p).Log()).LogProb(k).Span;
        for (int i = 0; i < 6; i++)
        {
            double e = MN.Binomial.PMFLn(p.Span[i], (int)n.Span[i], (int)k.Span[i]);
            Assert.Equal(e, a[i], 9); Assert.Equal(e, b[i], 9);
        }
        foreach (var (trials, prob) in new[] { (7.0, 0.35), (60.0, 0.2), (5000.0, 0.5) })
        {
            var x = Draw(new Binomial(trials, probs: Tensor.Scalar(prob)), 5);
            AssertMoments(x, trials * prob, trials * prob * (1 - prob), $"Binomial({trials}, {prob})");
            if (trials < 100) AssertFrequencies(x, kk => MN.Binomial.PMF(prob, (int)trials, kk), (int)trials, $"Binomial({trials}, {prob})");
        }
        AssertGradient(t => new Binomial(10, logits: t[0]).LogProb(Tensor.FromArray([0.0, 3, 10])), 1e-6, Uniform(4, -2, 2, 3));
        Assert.Contains("support", Assert.Throws<ArgumentException>(() => new Binomial(5, probs: Tensor.Scalar(0.5)).LogProb(Tensor.Scalar(6))).Message);
    }

    [Fact]
    public void PoissonMatchesMathNet()
    {
        var rate = LogUniform(5, 1e-3, 1e3, 40);
        var k = Tensor.FromArray(Enumerable.Range(0, 40).Select(i => (double)(i * i % 1500)).ToArray());
        var lp = new Poisson(rate).LogProb(k).Span;
        for (int i = 0; i < 40; i++) Assert.Equal(MN.Poisson.PMFLn(rate.Span[i], (int)k.Span[i]), lp[i], 9);
        Assert.Equal(0.0, new Poisson(0.0).LogProb(Tensor.Scalar(0)).Item(), 14);
        var x = Draw(new Poisson(3.5), 6);
        AssertFrequencies(x, kk => MN.Poisson.PMF(3.5, kk), 12, "Poisson(3.5)");
        AssertGradient(t => new Poisson(t[0]).LogProb(Tensor.FromArray([0.0, 3, 10])), 1e-6, LogUniform(6, 0.5, 5, 3));
    }

    [Fact]
    public void NegativeBinomialMatchesMathNetWithFlippedProbability()
    {
        // PyTorch's NB(r, p) counts successes (prob p) before r failures; MathNet's counts failures before r successes.
        var r = LogUniform(7, 0.2, 50, 30);
        var p = Uniform(8, 0.05, 0.95, 30);
        var k = Tensor.FromArray(Enumerable.Range(0, 30).Select(i => (double)(i * 7 % 90)).ToArray());
        var lp = new NegativeBinomial(r, probs: p).LogProb(k).Span;
        for (int i = 0; i < 30; i++) Assert.Equal(MN.NegativeBinomial.PMFLn(r.Span[i], 1 - p.Span[i], (int)k.Span[i]), lp[i], 9);
        var d = new NegativeBinomial(Tensor.Scalar(3.0), probs: Tensor.Scalar(0.4));
        var x = Draw(d, 7);
        AssertFrequencies(x, kk => MN.NegativeBinomial.PMF(3.0, 0.6, kk), 10, "NB(3, 0.4)");
        Assert.Equal(2.0, d.Mean.Item(), 12); Assert.Equal(2.0 / 0.6, d.Variance.Item(), 12);
        AssertGradient(t => new NegativeBinomial(t[0], logits: t[1]).LogProb(Tensor.FromArray([0.0, 3, 10])), 1e-6, LogUniform(9, 0.5, 5, 3), Uniform(10, -1, 1, 3));
    }

    [Fact]
    public void MultinomialMatchesMathNet()
    {
        var probs = new[] { 0.2, 0.5, 0.3 };
        var d = new Multinomial(10, probs: Tensor.FromArray(probs));
        var x = Tensor.FromArray([2.0, 5, 3, 0, 10, 0], 2, 3);
        var lp = d.LogProb(x).Span;
        var mn = new MN.Multinomial(probs, 10);
        Assert.Equal(Math.Log(mn.Probability([2, 5, 3])), lp[0], 11);
        Assert.Equal(Math.Log(mn.Probability([0, 10, 0])), lp[1], 11);
        var draws = d.Sample(new RandomStream(3), Draws);
        Assert.Equal([Draws, 3], draws.Shape.ToArray());
        for (int j = 0; j < 3; j++)
        {
            var marginal = Enumerable.Range(0, Draws).Select(i => draws.Span[i * 3 + j]).ToArray();
            AssertFrequencies(marginal, kk => MN.Binomial.PMF(probs[j], 10, kk), 10, $"Multinomial marginal {j}");
        }
        AssertGradient(t => new Multinomial(10, logits: t[0]).LogProb(x), 1e-6, Uniform(11, -1, 1, 3));
        Assert.Contains("summing to 10", Assert.Throws<ArgumentException>(() => d.LogProb(Tensor.FromArray([1.0, 1, 1]))).Message);
    }


    [Fact]
    public void CategoricalMatchesLogSoftmaxAtExtremeLogits()
    {
        // Logits of ±800 (exp overflows and underflows in doubles) and probabilities down to 1e-300: log p = l − logsumexp(l).
        var logits = new[] { new[] { 800.0, -800, 0, 799 }, new[] { -3.0, -3, -3, -3 }, new[] { 1e-12, 0, -1e-12, 35 } };
        var flat = logits.SelectMany(r => r).ToArray();
        var d = new Categorical(logits: Tensor.FromArray(flat, 3, 4));
        var x = Tensor.FromArray([0.0, 1, 2, 3, 3, 0], 2, 3);
        var lp = d.LogProb(x).Span;
        for (int s = 0; s < 2; s++)
            for (int b = 0; b < 3; b++)
            {
                var l = logits[b];
                double m = l.Max(), lse = m + Math.Log(l.Sum(v => Math.Exp(v - m)));
                double e = l[(int)x.Span[s * 3 + b]] - lse;
                Assert.True(Math.Abs(e - lp[s * 3 + b]) <= 1e-12 * Math.Max(1, Math.Abs(e)), $"[{s},{b}]: expected {e:G17}, got {lp[s * 3 + b]:G17}");
            }
        var tiny = new Categorical(probs: Tensor.FromArray([1e-300, 1 - 1e-300]));
        Assert.Equal(Math.Log(1e-300), tiny.LogProb(Tensor.Scalar(0)).Item(), 10);
    }

    [Fact]
    public void MultinomialMatchesMathNetAtExtremeProbabilitiesAndCounts()
    {
        var probs = new[] { 1e-6, 0.3, 0.7 - 1e-6 };
        var d = new Multinomial(1000, probs: Tensor.FromArray(probs));
        var rows = new[] { new[] { 0, 300, 700 }, new[] { 1, 0, 999 }, new[] { 0, 1000, 0 } };
        var lp = d.LogProb(Tensor.FromArray(rows.SelectMany(r => r.Select(v => (double)v)).ToArray(), 3, 3)).Span;
        var mn = new MN.Multinomial(probs, 1000);
        // MathNet's Probability underflows to 0 for the last row; the log form is Σ kᵢ log pᵢ + log n! − Σ log kᵢ!.
        for (int r = 0; r < 3; r++)
        {
            double e = MathNet.Numerics.SpecialFunctions.FactorialLn(1000);
            for (int j = 0; j < 3; j++) e += rows[r][j] * Math.Log(probs[j]) - MathNet.Numerics.SpecialFunctions.FactorialLn(rows[r][j]);
            Assert.True(Math.Abs(e - lp[r]) <= 1e-10 * Math.Max(1, Math.Abs(e)), $"row {r}: expected {e:G17}, got {lp[r]:G17}");
            if (r == 0) Assert.Equal(Math.Log(mn.Probability(rows[r])), lp[r], 8);
        }
    }
}
