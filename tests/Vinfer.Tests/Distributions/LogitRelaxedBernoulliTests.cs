using Vinfer.Distributions;
using Vinfer.Random;
using Vinfer.Tensors;
using static Vinfer.Tests.Distributions.DistributionChecks;

namespace Vinfer.Tests.Distributions;

/// <summary>
/// LogitRelaxedBernoulli, the logit of a binary Concrete draw (Maddison, Mnih and Teh 2017, eq. 19):
/// x = (l + L)/λ with L ~ Logistic(0, 1), so x is exactly Logistic(l/λ, 1/λ); the tests use that as the reference.
/// </summary>
public class LogitRelaxedBernoulliTests
{
    /// <summary>The logistic log-density with location l/λ and scale 1/λ, written from its definition.</summary>
    private static double ReferenceLogDensity(double lambda, double logit, double x)
    {
        double s = 1 / lambda, z = (x - logit / lambda) / s;
        double log1pExpMinusZ = z > 0 ? Math.Log(1 + Math.Exp(-z)) : -z + Math.Log(1 + Math.Exp(z));
        return -z - Math.Log(s) - 2 * log1pExpMinusZ;
    }

    [Fact]
    public void LogProbMatchesTheLogisticDensityOnRandomParametersAndTails()
    {
        const int n = 200;
        var lambda = LogUniform(1, 1e-3, 1e3, n);  // extreme temperatures both ways
        var logits = Uniform(2, -30, 30, n);       // and saturated logits
        var x = Uniform(3, -500, 500, n);
        var lp = new LogitRelaxedBernoulli(lambda, logits).LogProb(x).Span;
        var expected = new double[n];
        for (int i = 0; i < n; i++) expected[i] = ReferenceLogDensity(lambda.Span[i], logits.Span[i], x.Span[i]);
        AssertClose(expected, lp, 1e-10, "LogitRelaxedBernoulli.LogProb");
    }

    [Fact]
    public void LogProbGradientInTemperatureLogitsAndValue() =>
        AssertGradient(t => new LogitRelaxedBernoulli(t[0], t[1]).LogProb(t[2]), 1e-6,
            LogUniform(4, 0.2, 5, 6), Uniform(5, -3, 3, 6), Uniform(6, -4, 4, 3, 6));

    [Theory]
    [InlineData(0.2, 1.5)]
    [InlineData(4.0, -0.8)]
    public void DrawsAreLogisticWithLocationLogitOverTemperature(double lambda, double logit)
    {
        var d = new LogitRelaxedBernoulli(Tensor.Scalar(lambda), Tensor.Scalar(logit));
        double loc = logit / lambda, scale = 1 / lambda;
        var x = d.RSample(new RandomStream(7), Draws).ToArray();
        AssertKolmogorovSmirnov(x, v => 1 / (1 + Math.Exp(-(v - loc) / scale)), $"LogitRelaxedBernoulli({lambda}, {logit})");
        AssertMoments(x, loc, scale * scale * Math.PI * Math.PI / 3, $"LogitRelaxedBernoulli({lambda}, {logit})");
    }

    [Fact]
    public void HotDrawsConcentrateAtOneHalfAfterTheSigmoid()
    {
        // σ(x) − ½ ≈ x/4 for small x = (l + L)/λ: at λ = 1000 the mean of σ(x) is ½ + l/(4λ) to O(λ⁻³), the variance (π²/3)/(16λ²).
        double lambda = 1000, logit = 2.0;
        var y = new LogitRelaxedBernoulli(Tensor.Scalar(lambda), Tensor.Scalar(logit)).Sample(new RandomStream(8), Draws).Sigmoid().ToArray();
        AssertMoments(y, 0.5 + logit / (4 * lambda), Math.PI * Math.PI / 3 / (16 * lambda * lambda), "σ(LogitRelaxedBernoulli(λ=1000))");
    }

    [Fact]
    public void RSampleGradientMatchesFiniteDifferences() =>
        AssertGradient(t => new LogitRelaxedBernoulli(t[0], t[1]).RSample(new RandomStream(9), 4), 1e-6,
            Tensor.FromArray([0.6, 2.5]), Tensor.FromArray([0.4, -1.3]));

    [Fact]
    public void BadParametersNameTheParameterAndValue()
    {
        var e = Assert.Throws<ArgumentException>(() => new LogitRelaxedBernoulli(Tensor.FromArray([1.0, -2.0]), Tensor.Scalar(0.0)));
        Assert.Contains("LogitRelaxedBernoulli", e.Message); Assert.Contains("'temperature'", e.Message); Assert.Contains("-2", e.Message);
        Assert.Equal("temperature", e.ParamName);
        var l = Assert.Throws<Vinfer.Distributions.NonFiniteParameterException>(() => new LogitRelaxedBernoulli(Tensor.Scalar(1.0), Tensor.Scalar(double.PositiveInfinity)));
        Assert.Contains("'logits'", l.Message);
        Assert.Contains("do not broadcast", Assert.Throws<ArgumentException>(() => new LogitRelaxedBernoulli(Tensor.Ones(2), Tensor.Ones(3))).Message);
    }
}
