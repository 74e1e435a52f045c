using Vinfer.Distributions;
using Vinfer.Random;
using Vinfer.Tensors;
using MN = MathNet.Numerics.Distributions;
using static Vinfer.Tests.Distributions.DistributionChecks;

namespace Vinfer.Tests.Distributions;

/// <summary>
/// ExpRelaxedCategorical, the log of a Concrete draw (Maddison, Mnih and Teh, "The Concrete Distribution", ICLR 2017;
/// Jang, Gu and Poole, "Categorical Reparameterization with Gumbel-Softmax", ICLR 2017), against the Concrete
/// density written with products and powers, and its sampler against facts that hold exactly at every temperature.
/// </summary>
public class ExpRelaxedCategoricalTests
{
    /// <summary>
    /// The Concrete density on the simplex, (K−1)! λ^(K−1) Π αₖ yₖ^(−λ−1) / (Σ αₖ yₖ^(−λ))^K (Maddison et al. eq. 6), times the
    /// Jacobian Π yₖ of y = exp(x): the log-space density written from the paper, not from the implementation.
    /// </summary>
    private static double ReferenceLogDensity(double lambda, double[] logits, double[] x)
    {
        int k = logits.Length;
        var y = x.Select(v => Math.Exp(v)).ToArray();
        double denominator = 0, logNumerator = MathNet.Numerics.SpecialFunctions.FactorialLn(k - 1) + (k - 1) * Math.Log(lambda);
        for (int i = 0; i < k; i++)
        {
            denominator += Math.Exp(logits[i]) * Math.Pow(y[i], -lambda);
            logNumerator += logits[i] + (-lambda - 1) * x[i];
        }
        return logNumerator - k * Math.Log(denominator) + x.Sum();
    }

    /// <summary>A point of the log-simplex: log softmax of arbitrary scores.</summary>
    private static double[] LogSimplexPoint(System.Random rng, int k, double spread)
    {
        var s = Enumerable.Range(0, k).Select(_ => spread * (2 * rng.NextDouble() - 1)).ToArray();
        double m = s.Max(), lse = m + Math.Log(s.Sum(v => Math.Exp(v - m)));
        return s.Select(v => v - lse).ToArray();
    }

    [Theory]
    [InlineData(0.05, 3, 1.0)]   // cold: the density piles up at the vertices
    [InlineData(0.5, 4, 3.0)]
    [InlineData(1.0, 2, 0.5)]
    [InlineData(5.0, 5, 10.0)]   // hot, with far-apart logits
    [InlineData(20.0, 3, 0.1)]
    public void LogProbMatchesTheConcreteDensity(double lambda, int k, double logitSpread)
    {
        var rng = new System.Random(k * 31 + (int)(lambda * 100));
        var logits = Enumerable.Range(0, k).Select(_ => logitSpread * (2 * rng.NextDouble() - 1)).ToArray();
        const int rows = 12;
        var x = new double[rows * k];
        for (int r = 0; r < rows; r++) LogSimplexPoint(rng, k, r < 6 ? 2 : 12).CopyTo(x, r * k); // the last rows are near the vertices
        var lp = new ExpRelaxedCategorical(Tensor.Scalar(lambda), Tensor.FromArray(logits)).LogProb(Tensor.FromArray(x, rows, k)).Span;
        var expected = new double[rows];
        for (int r = 0; r < rows; r++) expected[r] = ReferenceLogDensity(lambda, logits, x.AsSpan(r * k, k).ToArray());
        AssertClose(expected, lp, 1e-9, $"ExpRelaxedCategorical(λ={lambda}, K={k})");
    }

    [Fact]
    public void LogProbGradientInTemperatureLogitsAndValue() =>
        AssertGradient(t => new ExpRelaxedCategorical(t[0], t[1]).LogProb(t[2].LogSoftmax(-1)), 1e-6,
            Tensor.FromArray([0.4, 1.7]), Uniform(2, -2, 2, 2, 3), Uniform(3, -2, 2, 4, 2, 3));

    [Fact]
    public void RSampleGradientMatchesFiniteDifferences() =>
        AssertGradient(t => new ExpRelaxedCategorical(t[0], t[1]).RSample(new RandomStream(4), 3), 1e-6,
            Tensor.Scalar(0.7), Tensor.FromArray([0.3, -1.1, 0.8, 0.0]));

    [Theory]
    [InlineData(0.1)]
    [InlineData(1.0)]
    [InlineData(10.0)]
    public void ArgmaxOfADrawIsCategoricalAtEveryTemperature(double lambda)
    {
        // argmax softmax((l + G)/λ) = argmax (l + G), the Gumbel-max trick: exactly Categorical(softmax(l)).
        var probs = new[] { 0.1, 0.2, 0.3, 0.4 };
        var d = new ExpRelaxedCategorical(Tensor.Scalar(lambda), Tensor.FromArray(probs.Select(p => Math.Log(p)).ToArray()));
        var x = d.Sample(new RandomStream(11), Draws).Span;
        var counts = new double[4];
        for (int i = 0; i < Draws; i++)
        {
            int arg = 0;
            for (int j = 1; j < 4; j++) if (x[i * 4 + j] > x[i * 4 + arg]) arg = j;
            counts[arg]++;
        }
        double chiSquare = 0;
        for (int j = 0; j < 4; j++) chiSquare += Math.Pow(counts[j] - Draws * probs[j], 2) / (Draws * probs[j]);
        double critical = MN.ChiSquared.InvCDF(3, 1 - 1e-4);
        Assert.True(chiSquare < critical, $"λ={lambda}: χ² = {chiSquare:G4} ≥ {critical:G4}; counts {string.Join(", ", counts)}");
    }

    [Fact]
    public void ScaledDifferencesAreLogistic()
    {
        // λ(x₁ − x₂) − (l₁ − l₂) = G₁ − G₂, a difference of standard Gumbels: Logistic(0, 1).
        double lambda = 0.3;
        var logits = new[] { 1.2, -0.4, 0.3 };
        var x = new ExpRelaxedCategorical(Tensor.Scalar(lambda), Tensor.FromArray(logits)).Sample(new RandomStream(12), Draws).ToArray();
        var z = Enumerable.Range(0, Draws).Select(i => lambda * (x[i * 3] - x[i * 3 + 1]) - (logits[0] - logits[1])).ToArray();
        AssertKolmogorovSmirnov(z, v => 1 / (1 + Math.Exp(-v)), "λ(x₁ − x₂) − (l₁ − l₂)");
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.001)]
    public void ColdDrawsApproachVerticesAtTheExactRate(double lambda)
    {
        // K = 2: y₁ = σ((d + L)/λ) with d = l₁ − l₂ and L ~ Logistic(0, 1), so
        // P(max(y₁, y₂) > 1 − ε) = 1 − [F(λc − d) − F(−λc − d)], c = logit(1 − ε), F the logistic CDF; → 1 as λ → 0.
        double d = 0.7, eps = 1e-3, c = Math.Log((1 - eps) / eps);
        static double F(double v) => 1 / (1 + Math.Exp(-v));
        double p = 1 - (F(lambda * c - d) - F(-lambda * c - d));
        var x = new ExpRelaxedCategorical(Tensor.Scalar(lambda), Tensor.FromArray([d, 0.0])).Sample(new RandomStream(13), Draws).Span;
        int near = 0;
        for (int i = 0; i < Draws; i++) if (Math.Exp(Math.Max(x[2 * i], x[2 * i + 1])) > 1 - eps) near++;
        double f = near / (double)Draws, se = Math.Sqrt(p * (1 - p) / Draws);
        Assert.True(Math.Abs(f - p) <= 5 * se, $"λ={lambda}: fraction within ε of a vertex {f:G5}, exact {p:G5} (se {se:G3})");
        Assert.True(p > 1 - 30 * lambda, $"the exact rate {p} should approach 1 like O(λ)");
    }

    [Fact]
    public void BadParametersNameTheParameterAndValue()
    {
        var e = Assert.Throws<ArgumentException>(() => new ExpRelaxedCategorical(Tensor.Scalar(-0.5), Tensor.FromArray([0.0, 1.0])));
        Assert.Contains("ExpRelaxedCategorical", e.Message); Assert.Contains("'temperature'", e.Message); Assert.Contains("-0.5", e.Message);
        Assert.Equal("temperature", e.ParamName);
        Assert.Contains("'temperature'", Assert.Throws<ArgumentException>(() => new ExpRelaxedCategorical(Tensor.Scalar(0.0), Tensor.FromArray([0.0, 1.0]))).Message);
        var l = Assert.Throws<Vinfer.Distributions.NonFiniteParameterException>(() => new ExpRelaxedCategorical(Tensor.Scalar(1.0), Tensor.FromArray([0.0, double.NaN])));
        Assert.Contains("'logits'", l.Message); Assert.Contains("NaN", l.Message);
    }
}
