using Vinfer.Distributions;
using Vinfer.Random;
using Vinfer.Tensors;
using static Vinfer.Tests.Distributions.DistributionChecks;

namespace Vinfer.Tests.Distributions;

public class DirichletTests
{
    private static double Reference(double[] a, double[] x)
    {
        double a0 = a.Sum(), r = MathNet.Numerics.SpecialFunctions.GammaLn(a0);
        for (int i = 0; i < a.Length; i++) r += (a[i] - 1) * Math.Log(x[i]) - MathNet.Numerics.SpecialFunctions.GammaLn(a[i]);
        return r;
    }

    [Fact]
    public void LogProbMatchesClosedFormIncludingTails()
    {
        const int rows = 50, k = 7;
        var a = LogUniform(1, 1e-2, 1e2, rows, k);
        var x = new Dirichlet(Tensor.Full(0.3, k)).Sample(new RandomStream(2), rows);
        var lp = new Dirichlet(a).LogProb(x);
        var expected = new double[rows];
        for (int r = 0; r < rows; r++) expected[r] = Reference(a.Span.Slice(r * k, k).ToArray(), x.Span.Slice(r * k, k).ToArray());
        AssertClose(expected, lp.Span, 1e-11, "Dirichlet.LogProb");
    }

    [Fact]
    public void LogProbGradient() =>
        AssertGradient(t =>
        {
            var x = t[1].Softmax(-1);
            return new Dirichlet(t[0], validateArgs: false).LogProb(x);
        }, 1e-6, LogUniform(3, 0.3, 4, 2, 5), Uniform(4, -1, 1, 3, 2, 5));

    [Fact]
    public void SampleMomentsAndMarginalKolmogorovSmirnov()
    {
        var alpha = new[] { 0.5, 2.0, 3.5 };
        var x = new Dirichlet(Tensor.FromArray(alpha)).Sample(new RandomStream(5), Draws).ToArray();
        double a0 = alpha.Sum();
        for (int j = 0; j < 3; j++)
        {
            var marginal = Enumerable.Range(0, Draws).Select(i => x[i * 3 + j]).ToArray();
            double aj = alpha[j];
            // The marginal of a Dirichlet is Beta(αⱼ, α₀ − αⱼ).
            AssertKolmogorovSmirnov(marginal, v => MathNet.Numerics.Distributions.Beta.CDF(aj, a0 - aj, v), $"Dirichlet marginal {j}");
            AssertMoments(marginal, aj / a0, aj * (a0 - aj) / (a0 * a0 * (a0 + 1)), $"Dirichlet marginal {j}");
        }
    }

    [Fact]
    public void RSampleGradientMatchesExactMeanDerivative()
    {
        // E[x₀] = α₀/Σα, so ∂/∂α₀ = (Σα − α₀)/(Σα)² and ∂/∂αⱼ = −α₀/(Σα)² for j ≠ 0. The pathwise estimate is averaged
        // over 8 independent batches; the tolerance is 6 standard errors of that average.
        const int batches = 8, n = 5000;
        var est = new double[batches, 3];
        for (int b = 0; b < batches; b++)
        {
            var alpha = Tensor.Parameter([1.5, 2.5, 0.8]);
            var x = new Dirichlet(alpha).RSample(new RandomStream(100 + (ulong)b), n);
            (x * Tensor.FromArray([1.0, 0.0, 0.0])).Mean(0).Sum().Backward();
            for (int j = 0; j < 3; j++) est[b, j] = alpha.Grad!.Span[j];
        }
        double s = 4.8;
        double[] exact = [(s - 1.5) / (s * s), -1.5 / (s * s), -1.5 / (s * s)];
        for (int j = 0; j < 3; j++)
        {
            double m = 0; for (int b = 0; b < batches; b++) m += est[b, j]; m /= batches;
            double v = 0; for (int b = 0; b < batches; b++) v += (est[b, j] - m) * (est[b, j] - m); v /= batches - 1;
            double se = Math.Sqrt(v / batches);
            Assert.True(Math.Abs(m - exact[j]) <= 6 * se, $"component {j}: {m:G6} vs {exact[j]:G6} (se {se:G3})");
        }
    }

    [Fact]
    public void ShapesEntropyAndValidation()
    {
        var d = new Dirichlet(Tensor.Ones(2, 3));
        Assert.Equal([2], d.BatchShape); Assert.Equal([3], d.EventShape);
        Assert.Equal([4, 2, 3], d.Sample(new RandomStream(1), 4).Shape.ToArray());
        // Dirichlet(1, 1, 1) is uniform on the simplex: entropy = −log(2!) = −log 2.
        Assert.Equal(-Math.Log(2), d.Entropy()[0], 12);
        var e = Assert.Throws<ArgumentException>(() => new Dirichlet(Tensor.FromArray([1.0, -1.0])));
        Assert.Contains("'concentration'", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Dirichlet(Tensor.Ones(3)).LogProb(Tensor.FromArray([0.5, 0.6, 0.1])));
        Assert.Contains("simplex", e.Message);
    }
}
