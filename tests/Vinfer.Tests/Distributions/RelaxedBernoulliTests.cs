using Vinfer.Distributions;
using Vinfer.Random;
using Vinfer.Tensors;
using static Vinfer.Tests.Distributions.DistributionChecks;

namespace Vinfer.Tests.Distributions;

/// <summary>
/// RelaxedBernoulli, the binary Concrete on (0, 1) (Maddison, Mnih and Teh 2017, eq. 19; Jang, Gu and Poole 2017):
/// density λα y^(−λ−1)(1−y)^(−λ−1) / (α y^(−λ) + (1−y)^(−λ))², CDF σ(λ logit(y) − l), and P(y &gt; ½) = σ(l) at every λ.
/// </summary>
public class RelaxedBernoulliTests
{
    private static double ReferenceLogDensity(double lambda, double logit, double y)
    {
        double alpha = Math.Exp(logit);
        return Math.Log(lambda * alpha * Math.Pow(y, -lambda - 1) * Math.Pow(1 - y, -lambda - 1) / Math.Pow(alpha * Math.Pow(y, -lambda) + Math.Pow(1 - y, -lambda), 2));
    }

    [Theory]
    [InlineData(0.7, 0.4)]
    [InlineData(0.05, -3.0)]  // cold: mass at the endpoints
    [InlineData(8.0, 6.0)]    // hot, with a saturated logit
    public void LogProbMatchesTheBinaryConcreteDensity(double lambda, double logit)
    {
        var d = new RelaxedBernoulli(Tensor.Scalar(lambda), logits: Tensor.Scalar(logit));
        var y = Uniform(5, 0.01, 0.99, 20);
        var lp = d.LogProb(y).Span;
        var expected = y.ToArray().Select(v => ReferenceLogDensity(lambda, logit, v)).ToArray();
        AssertClose(expected, lp, 1e-10, $"RelaxedBernoulli({lambda}, {logit})");
        var byProbs = new RelaxedBernoulli(Tensor.Scalar(lambda), probs: Tensor.Scalar(1 / (1 + Math.Exp(-logit))));
        AssertClose(expected, byProbs.LogProb(y).Span, 1e-9, "RelaxedBernoulli by probs");
    }

    [Fact]
    public void DrawsFollowTheConcreteCdf()
    {
        double lambda = 0.7, l = 0.4;
        var draws = new RelaxedBernoulli(Tensor.Scalar(lambda), logits: Tensor.Scalar(l)).RSample(new RandomStream(6), Draws).ToArray();
        AssertKolmogorovSmirnov(draws, v => 1 / (1 + Math.Exp(-(lambda * Math.Log(v / (1 - v)) - l))), "RelaxedBernoulli");
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(1.0)]
    [InlineData(50.0)]
    public void RoundedDrawsAreBernoulliAtEveryTemperature(double lambda)
    {
        // y > ½ ⇔ l + L > 0 with L ~ Logistic(0, 1): probability σ(l), whatever λ.
        double l = -0.9, p = 1 / (1 + Math.Exp(-l));
        var y = new RelaxedBernoulli(Tensor.Scalar(lambda), logits: Tensor.Scalar(l)).Sample(new RandomStream(21), Draws).ToArray();
        double f = y.Count(v => v > 0.5) / (double)Draws, se = Math.Sqrt(p * (1 - p) / Draws);
        Assert.True(Math.Abs(f - p) <= 5 * se, $"λ={lambda}: P(y > ½) = {f:G5}, exact σ(l) = {p:G5} (se {se:G3})");
    }

    [Fact]
    public void LogProbGradientInTemperatureProbsAndValue()
    {
        var y = Uniform(5, 0.01, 0.99, 20);
        AssertGradient(p => new RelaxedBernoulli(p[0], probs: p[1]).LogProb(y), 1e-6, Tensor.Scalar(0.7), Tensor.Scalar(0.3));
        AssertGradient(p => new RelaxedBernoulli(p[0], logits: p[1]).LogProb(p[2]), 1e-6,
            Tensor.FromArray([0.5, 2.0]), Tensor.FromArray([-1.0, 0.8]), Uniform(9, 0.05, 0.95, 3, 2));
    }

    [Fact]
    public void RSampleGradientMatchesFiniteDifferences() =>
        AssertGradient(p => new RelaxedBernoulli(p[0], logits: p[1]).RSample(new RandomStream(7), 3), 1e-6, Tensor.Scalar(0.7), Tensor.FromArray([0.4, -1.0]));

    [Fact]
    public void BadParametersNameTheParameterAndValue()
    {
        var t = Assert.Throws<ArgumentException>(() => new RelaxedBernoulli(Tensor.Scalar(-1.5), probs: Tensor.Scalar(0.5)));
        Assert.Contains("'temperature'", t.Message); Assert.Contains("-1.5", t.Message);
        var p = Assert.Throws<ArgumentException>(() => new RelaxedBernoulli(Tensor.Scalar(1.0), probs: Tensor.Scalar(1.25)));
        Assert.Contains("RelaxedBernoulli", p.Message); Assert.Contains("'probs'", p.Message); Assert.Contains("1.25", p.Message);
        Assert.Throws<ArgumentException>(() => new RelaxedBernoulli(Tensor.Scalar(1.0)));
    }
}
