using Vinfer.Random;

namespace Vinfer.Tests.Random;

/// <summary>Bad parameters give one clear error naming sampler, argument and value, and write nothing.</summary>
public class SamplerArgumentTests
{
    private static readonly RandomKey Key = new(1);

    private static void AssertRejected(Action<double[]> sampler, string argument, string message)
    {
        var destination = new double[4];
        var error = Assert.ThrowsAny<ArgumentException>(() => sampler(destination));
        Assert.Equal(argument, error.ParamName);
        Assert.Contains(message, error.Message);
        Assert.All(destination, x => Assert.Equal(0, x));
    }

    [Fact]
    public void ScalarParameters()
    {
        AssertRejected(d => Sample.Gamma(Key, -1, d), "shape", "Gamma: shape must be > 0 and finite, got -1");
        AssertRejected(d => Sample.Gamma(Key, 2, 0, d), "rate", "Gamma: rate must be > 0 and finite, got 0");
        AssertRejected(d => Sample.GammaLog(Key, double.NaN, 1, d), "shape", "GammaLog: shape must be > 0 and finite, got NaN");
        AssertRejected(d => Sample.Beta(Key, 1, double.PositiveInfinity, d), "beta", "Beta: beta must be > 0 and finite, got Infinity");
        AssertRejected(d => Sample.Normal(Key, 0, -2, d), "std", "Normal: std must be > 0 and finite, got -2");
        AssertRejected(d => Sample.Normal(Key, double.NaN, 1, d), "mean", "Normal: mean must be finite, got NaN");
        AssertRejected(d => Sample.Uniform(Key, 3, 3, d), "high", "Uniform: low must be < high, got low = 3, high = 3");
        AssertRejected(d => Sample.Exponential(Key, 0, d), "rate", "Exponential: rate must be > 0 and finite, got 0");
        AssertRejected(d => Sample.Gumbel(Key, 0, -1, d), "scale", "Gumbel: scale must be > 0 and finite, got -1");
        AssertRejected(d => Sample.Poisson(Key, -0.5, d), "mean", "Poisson: mean must be >= 0 and finite, got -0.5");
    }

    [Fact]
    public void PerElementParameters()
    {
        AssertRejected(d => Sample.Gamma(Key, [1, 2, -3, 4], d), "shape", "Gamma: shape[2] must be > 0 and finite, got -3");
        AssertRejected(d => Sample.Gamma(Key, [1, 2, 3], d), "shape", "Gamma: shape has length 3 but the destination has length 4");
        AssertRejected(d => Sample.Poisson(Key, [1, 2, 3, double.NaN], d), "mean", "Poisson: mean[3] must be >= 0 and finite, got NaN");
        AssertRejected(d => Sample.Dirichlet(Key, [1, 0], d), "alpha", "Dirichlet: alpha[1] must be > 0 and finite, got 0");
        AssertRejected(d => Sample.Dirichlet(Key, [1, 1, 1], d), "alpha", "not a multiple of the number of categories 3");
    }

    [Fact]
    public void CategoricalWeightsAndLogits()
    {
        var draws = new int[3];
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Sample.Categorical(Key, [0.5, -0.1], draws));
        Assert.Contains("Categorical: probabilities[1] must be >= 0 and finite, got -0.1", error.Message);
        error = Assert.Throws<ArgumentOutOfRangeException>(() => Sample.Categorical(Key, [0.0, 0.0], draws));
        Assert.Contains("must have a positive finite sum, got 0", error.Message);
        error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Sample.CategoricalFromLogits(Key, [double.NegativeInfinity, double.NegativeInfinity], draws));
        Assert.Contains("no finite entry", error.Message);
        error = Assert.Throws<ArgumentOutOfRangeException>(() => Sample.CategoricalFromLogits(Key, [0, double.NaN], draws));
        Assert.Contains("logits[1] must be finite or -Infinity, got NaN", error.Message);
        var lengthError = Assert.Throws<ArgumentException>(() => Sample.Categorical(Key, new double[5], 2, draws));
        Assert.Contains("3 rows of 2 categories need 6", lengthError.Message);
    }
}
