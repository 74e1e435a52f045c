using Vinfer.Distributions;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Tests.Distributions;

/// <summary>
/// The relaxed (Concrete / Gumbel-softmax) distributions against exact answers: LogitRelaxedBernoulli is the logistic
/// distribution Logistic(l/λ, 1/λ) (Maddison, Mnih and Teh 2017, appendix), so its density integrates to one and
/// P(y &gt; 0) = σ(l); ExpRelaxedCategorical keeps the Gumbel-max property, P(argmax x = j) = softmax(l)_j, for any
/// temperature, and its density integrates to one with respect to the log-ratio coordinate t = x₀ − x₁ (for two
/// classes). Note: not with respect to x₀ itself (that integral is 0.28 at λ = 0.5); the formula is PyTorch's, and only
/// ratios of relaxed densities on the same measure (model and guide) are meaningful for inference.
/// </summary>
public class RelaxedDistributionTests
{
    [Theory]
    [InlineData(0.5, 1.3)]
    [InlineData(2.0, -0.7)]
    public void LogitRelaxedBernoulliIsALogisticDistribution(double temperature, double logit)
    {
        var d = new LogitRelaxedBernoulli(Tensor.Scalar(temperature), Tensor.Scalar(logit));
        // the logistic density with location l/λ and scale 1/λ, written independently
        foreach (double y in new[] { -3.0, -0.2, 0.0, 0.9, 4.0 })
        {
            double u = (y - logit / temperature) * temperature;
            double expected = Math.Log(temperature) - u - 2 * Math.Log(1 + Math.Exp(-u));
            Assert.Equal(expected, d.LogProb(Tensor.Scalar(y)).Item(), 10);
        }
        // normalization by the trapezoid rule over ±60 scales
        double width = 60 / temperature, step = width / 20_000, integral = 0;
        for (int i = 0; i <= 40_000; i++)
        {
            double y = logit / temperature - width + i * step;
            double f = Math.Exp(d.LogProb(Tensor.Scalar(y)).Item());
            integral += (i == 0 || i == 40_000 ? 0.5 : 1) * f * step;
        }
        Assert.Equal(1.0, integral, 6);
        const int n = 40_000;
        var draws = d.RSample(new RandomStream(5), n).ToArray();
        double positive = draws.Count(v => v > 0) / (double)n, p = 1 / (1 + Math.Exp(-logit));
        Assert.InRange(positive, p - 5 * Math.Sqrt(p * (1 - p) / n), p + 5 * Math.Sqrt(p * (1 - p) / n));
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(1.0)]
    [InlineData(3.0)]
    public void ExpRelaxedCategoricalKeepsTheGumbelMaxProbabilities(double temperature)
    {
        double[] logits = [0.4, -1.0, 1.2];
        var d = new ExpRelaxedCategorical(Tensor.Scalar(temperature), Tensor.FromArray(logits, 3));
        const int n = 30_000;
        var x = d.RSample(new RandomStream(7), n);
        Assert.Equal([n, 3], x.Shape.ToArray());
        var counts = new int[3];
        var s = x.Span;
        for (int i = 0; i < n; i++)
        {
            int arg = 0;
            for (int j = 1; j < 3; j++) if (s[i * 3 + j] > s[i * 3 + arg]) arg = j;
            counts[arg]++;
            // each draw is a log-probability vector: logsumexp = 0
            double lse = Math.Log(Math.Exp(s[i * 3]) + Math.Exp(s[i * 3 + 1]) + Math.Exp(s[i * 3 + 2]));
            Assert.True(Math.Abs(lse) < 1e-9);
        }
        double total = logits.Sum(Math.Exp);
        for (int j = 0; j < 3; j++)
        {
            double p = Math.Exp(logits[j]) / total, se = Math.Sqrt(p * (1 - p) / n);
            Assert.InRange(counts[j] / (double)n, p - 5 * se, p + 5 * se);
        }
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(2.0)]
    public void TwoClassExpRelaxedCategoricalDensityIntegratesToOne(double temperature)
    {
        var d = new ExpRelaxedCategorical(Tensor.Scalar(temperature), Tensor.FromArray([0.3, -0.8], 2));
        // x = (log σ(t), log σ(−t)) for the log-ratio t = x₀ − x₁ ∈ ℝ
        double integral = 0, step = 2e-3;
        for (double t = -50; t <= 50; t += step)
        {
            double x0 = -Math.Log(1 + Math.Exp(-t)), x1 = -Math.Log(1 + Math.Exp(t));
            integral += Math.Exp(d.LogProb(Tensor.FromArray([x0, x1], 2)).Item()) * step;
        }
        Assert.Equal(1.0, integral, 4);
    }
}
