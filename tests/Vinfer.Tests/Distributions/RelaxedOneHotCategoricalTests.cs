using Vinfer.Distributions;
using Vinfer.Random;
using Vinfer.Tensors;
using static Vinfer.Tests.Distributions.DistributionChecks;

namespace Vinfer.Tests.Distributions;

/// <summary>
/// RelaxedOneHotCategorical, the Concrete / Gumbel-softmax distribution on the simplex (Maddison, Mnih and Teh 2017,
/// eq. 6; Jang, Gu and Poole 2017, eq. 2): density (K−1)! λ^(K−1) Π αₖ yₖ^(−λ−1) / (Σ αₖ yₖ^(−λ))^K.
/// </summary>
public class RelaxedOneHotCategoricalTests
{
    private static double ReferenceLogDensity(double lambda, double[] logits, double[] y)
    {
        int k = logits.Length;
        double denominator = 0, logNumerator = MathNet.Numerics.SpecialFunctions.FactorialLn(k - 1) + (k - 1) * Math.Log(lambda);
        for (int i = 0; i < k; i++) { denominator += Math.Exp(logits[i]) * Math.Pow(y[i], -lambda); logNumerator += logits[i] + (-lambda - 1) * Math.Log(y[i]); }
        return logNumerator - k * Math.Log(denominator);
    }

    [Theory]
    [InlineData(0.5, new[] { 0.2, -0.3, 1.0 })]
    [InlineData(0.1, new[] { 4.0, -4.0, 0.0, 1.0 })]
    [InlineData(3.0, new[] { 0.0, 0.0 })]
    public void LogProbMatchesTheConcreteDensity(double lambda, double[] logits)
    {
        int k = logits.Length;
        var d = new RelaxedOneHotCategorical(Tensor.Scalar(lambda), logits: Tensor.FromArray(logits));
        Assert.Equal([k], d.EventShape);
        var x = d.Sample(new RandomStream(8), 10);
        Assert.All(Constraints.Simplex.Check(x).ToArray(), v => Assert.Equal(1.0, v));
        var lp = d.LogProb(x).Span;
        var expected = Enumerable.Range(0, 10).Select(r => ReferenceLogDensity(lambda, logits, x.Span.Slice(r * k, k).ToArray())).ToArray();
        AssertClose(expected, lp, 1e-8, $"RelaxedOneHotCategorical(λ={lambda})");
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(2.0)]
    public void TwoCategoryDensityIntegratesToOne(double lambda)
    {
        // K = 2: the density of (y, 1 − y) over y ∈ (0, 1) must integrate to 1 (checks the (K−1)! λ^(K−1) constant).
        const int grid = 200000;
        var y = new double[2 * grid];
        for (int i = 0; i < grid; i++) { double v = (i + 0.5) / grid; y[2 * i] = v; y[2 * i + 1] = 1 - v; }
        var lp = new RelaxedOneHotCategorical(Tensor.Scalar(lambda), logits: Tensor.FromArray([0.6, -0.2])).LogProb(Tensor.FromArray(y, grid, 2)).ToArray();
        double integral = lp.Sum(Math.Exp) / grid;
        // Midpoint rule on a density with integrable endpoint behaviour y^(λ−1): error well under 1e-3 for λ ≥ ½ at this grid.
        Assert.True(Math.Abs(integral - 1) < 2e-3, $"λ={lambda}: ∫p = {integral}");
    }

    [Fact]
    public void ColdDrawsAreNearlyOneHotWithCategoricalFrequencies()
    {
        var probs = new[] { 0.2, 0.3, 0.5 };
        var cold = new RelaxedOneHotCategorical(Tensor.Scalar(0.01), probs: Tensor.FromArray(probs)).Sample(new RandomStream(9), Draws).Span;
        var counts = new double[3];
        int nearVertex = 0;
        for (int i = 0; i < Draws; i++)
        {
            int arg = 0;
            for (int k = 1; k < 3; k++) if (cold[i * 3 + k] > cold[i * 3 + arg]) arg = k;
            counts[arg]++;
            if (cold[i * 3 + arg] > 0.999) nearVertex++;
        }
        for (int k = 0; k < 3; k++) Assert.True(Math.Abs(counts[k] / Draws - probs[k]) < 5 * Math.Sqrt(probs[k] * (1 - probs[k]) / Draws));
        // Within 1e-3 of a vertex unless the top two Gumbel scores are within λ·log(999) ≈ 0.069 of each other (a few per cent).
        Assert.True(nearVertex > 0.9 * Draws, $"only {nearVertex} of {Draws} cold draws within 1e-3 of a vertex");
    }

    [Fact]
    public void LogProbGradientInTemperatureLogitsAndValue() =>
        AssertGradient(p => new RelaxedOneHotCategorical(p[0], logits: p[1]).LogProb(p[2].Softmax(-1)), 1e-6,
            Tensor.Scalar(0.8), Tensor.FromArray([0.2, -0.3, 1.0]), Uniform(3, -1, 1, 4, 3));

    [Fact]
    public void RSampleGradientMatchesFiniteDifferences() =>
        AssertGradient(p => new RelaxedOneHotCategorical(p[0], logits: p[1]).RSample(new RandomStream(10), 2), 1e-6,
            Tensor.Scalar(0.8), Tensor.FromArray([0.2, -0.3, 1.0]));

    [Fact]
    public void BadParametersNameTheParameterAndValue()
    {
        var t = Assert.Throws<ArgumentException>(() => new RelaxedOneHotCategorical(Tensor.Scalar(-0.25), probs: Tensor.FromArray([0.5, 0.5])));
        Assert.Contains("'temperature'", t.Message); Assert.Contains("-0.25", t.Message);
        var p = Assert.Throws<ArgumentException>(() => new RelaxedOneHotCategorical(Tensor.Scalar(1.0), probs: Tensor.FromArray([0.5, -0.5])));
        Assert.Contains("RelaxedOneHotCategorical", p.Message); Assert.Contains("'probs'", p.Message); Assert.Contains("-0.5", p.Message);
    }
}
