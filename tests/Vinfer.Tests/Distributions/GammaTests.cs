using Vinfer.Tensors;
using Vinfer.Distributions;
using Vinfer.Random;
using MN = MathNet.Numerics.Distributions;
using static Vinfer.Tests.Distributions.DistributionChecks;

namespace Vinfer.Tests.Distributions;

public class GammaTests
{
    [Fact]
    public void LogGammaAndDigammaMatchMathNet()
    {
        foreach (double x in new[] { 1e-300, 1e-8, 0.01, 0.5, 1, 1.5, 2, 2.5, 3, 7.3, 9.999, 10, 12.5, 100, 1e5, 1e12 })
        {
            GammaFunctions.LogGammaDigamma(x, out double lg, out double dg);
            double elg = MathNet.Numerics.SpecialFunctions.GammaLn(x), edg = MathNet.Numerics.SpecialFunctions.DiGamma(x);
            Assert.True(Math.Abs(lg - elg) <= 2e-14 * Math.Max(1, Math.Abs(elg)), $"lgamma({x}) = {lg:G17} vs {elg:G17}");
            Assert.True(Math.Abs(dg - edg) <= 2e-14 * Math.Max(1, Math.Abs(edg)), $"digamma({x}) = {dg:G17} vs {edg:G17}");
        }
        // The vector path agrees with the scalar one lane by lane.
        var xs = LogUniform(3, 1e-6, 1e6, 64).ToArray();
        for (int i = 0; i < xs.Length; i += 4)
        {
            GammaFunctionsVector.LogGammaDigamma(System.Runtime.Intrinsics.Vector256.Create(xs, i), out var lg, out var dg);
            for (int l = 0; l < 4; l++)
            {
                GammaFunctions.LogGammaDigamma(xs[i + l], out double slg, out double sdg);
                Assert.True(Math.Abs(lg[l] - slg) <= 1e-14 * Math.Max(1, Math.Abs(slg)), $"vector lgamma({xs[i + l]})");
                Assert.True(Math.Abs(dg[l] - sdg) <= 1e-14 * Math.Max(1, Math.Abs(sdg)), $"vector digamma({xs[i + l]})");
            }
        }
    }

    [Fact]
    public void LogProbMatchesMathNetIncludingTails()
    {
        const int n = 203; // not a multiple of the vector width: exercises the scalar tail
        var a = LogUniform(1, 1e-3, 1e3, n);
        var b = LogUniform(2, 1e-3, 1e3, n);
        var x = LogUniform(3, 1e-8, 1e4, n);
        var lp = new Gamma(a, b).LogProb(x);
        var expected = new double[n];
        for (int i = 0; i < n; i++) expected[i] = MN.Gamma.PDFLn(a.Span[i], b.Span[i], x.Span[i]);
        AssertClose(expected, lp.Span, 1e-12, "Gamma.LogProb");
    }

    [Fact]
    public void LogProbAtZeroWithUnitShapeIsLogRate()
    {
        var lp = new Gamma(1.0, 2.5, validateArgs: false).LogProb(Tensor.Zeros(1));
        Assert.Equal(Math.Log(2.5), lp.Span[0], 13);
    }

    [Fact]
    public void LogProbGradientInParametersAndValue() =>
        AssertGradient(t => new Gamma(t[0], t[1]).LogProb(t[2]), 1e-6,
            LogUniform(4, 0.2, 5, 3, 1), LogUniform(5, 0.3, 3, 6), LogUniform(6, 0.1, 4, 3, 6));

    [Theory]
    [InlineData(0.3, 2.0)]
    [InlineData(1.0, 1.0)]
    [InlineData(4.5, 0.5)]
    [InlineData(150.0, 3.0)]
    public void SamplesPassKolmogorovSmirnovAndMoments(double shape, double rate)
    {
        var x = Draw(new Gamma(shape, rate), 21);
        AssertKolmogorovSmirnov(x, v => MN.Gamma.CDF(shape, rate, v), $"Gamma({shape}, {rate})");
        AssertMoments(x, shape / rate, shape / (rate * rate), $"Gamma({shape}, {rate})");
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.7)]
    [InlineData(3.0)]
    [InlineData(40.0)]
    public void ImplicitDerivativeMatchesQuantileDerivative(double alpha)
    {
        // z = F⁻¹(u; α) ⇒ dz/dα at fixed u, by a central difference of MathNet's inverse CDF.
        foreach (double u in new[] { 0.01, 0.3, 0.5, 0.9, 0.999 })
        {
            double z = MN.Gamma.InvCDF(alpha, 1, u);
            double h = 1e-5 * alpha;
            double numeric = (MN.Gamma.InvCDF(alpha + h, 1, u) - MN.Gamma.InvCDF(alpha - h, 1, u)) / (2 * h);
            double implicitGrad = ImplicitGammaGradient.DrawDerivative(z, alpha);
            Assert.True(Math.Abs(implicitGrad - numeric) <= 1e-5 * Math.Max(1, Math.Abs(numeric)), $"α={alpha}, u={u}: {implicitGrad:G10} vs {numeric:G10}");
        }
    }

    [Theory]
    [InlineData(0.4, 1.5)]
    [InlineData(3.0, 0.7)]
    public void RSampleGradientMatchesMonteCarloFiniteDifference(double shape, double rate)
    {
        // d/dα E[z²] by the implicit pathwise estimator vs (i) the exact derivative (2α + 1)/β² and
        // (ii) a central difference of the Monte Carlo mean with common random numbers; tolerances from the MC error.
        const int n = 40000;
        var alpha = Tensor.Parameter([shape]);
        var beta = Tensor.Parameter([rate]);
        var z = new Gamma(alpha, beta).RSample(new RandomStream(31), n);
        var f = z.Square();
        f.Mean().Backward();
        double gradAlpha = alpha.Grad!.Span[0], gradBeta = beta.Grad!.Span[0];

        // Per-sample pathwise terms for the standard error.
        var a1 = Tensor.Parameter([shape]);
        var zs = new Gamma(a1, Tensor.Scalar(rate)).RSample(new RandomStream(31), n);
        var terms = new double[n];
        using (GradMode.Disable())
        {
            var zv = zs.Span;
            for (int i = 0; i < n; i++) terms[i] = 2 * zv[i] * ImplicitGammaGradient.DrawDerivative(zv[i] * rate, shape) / rate;
        }
        double mean = terms.Average(), se = Math.Sqrt(terms.Select(t => (t - mean) * (t - mean)).Sum() / (n - 1) / n);
        Assert.Equal(mean, gradAlpha, 1e-9 * Math.Max(1, Math.Abs(mean)));
        double exact = (2 * shape + 1) / (rate * rate);
        Assert.True(Math.Abs(gradAlpha - exact) <= 6 * se, $"dE[z²]/dα = {gradAlpha:G6}, exact {exact:G6}, se {se:G3}");
        Assert.Equal(-2 * shape * (shape + 1) / (rate * rate * rate), gradBeta, 0.05 * Math.Abs(gradBeta)); // ∂/∂β is exact pathwise

        double h = 1e-3 * shape;
        double MeanSquare(double a)
        {
            using (GradMode.Disable())
            {
                var s = new Gamma(a, rate).Sample(new RandomStream(31), n).Span;
                double acc = 0;
                foreach (double v in s) acc += v * v;
                return acc / n;
            }
        }
        double fd = (MeanSquare(shape + h) - MeanSquare(shape - h)) / (2 * h);
        Assert.True(Math.Abs(gradAlpha - fd) <= 6 * se, $"implicit {gradAlpha:G6} vs CRN finite difference {fd:G6} (se {se:G3})");
    }

    [Fact]
    public void MeanVarianceEntropy()
    {
        var d = new Gamma(3.0, 2.0);
        Assert.Equal(1.5, d.Mean.Item(), 14);
        Assert.Equal(0.75, d.Variance.Item(), 14);
        double expected = 3 - Math.Log(2) + MathNet.Numerics.SpecialFunctions.GammaLn(3) + (1 - 3) * MathNet.Numerics.SpecialFunctions.DiGamma(3);
        Assert.Equal(expected, d.Entropy().Item(), 12);
    }

    [Fact]
    public void BadParameters()
    {
        var e = Assert.Throws<ArgumentException>(() => new Gamma(Tensor.FromArray([1.0, 0.0]), Tensor.Ones(2)));
        Assert.Contains("Gamma", e.Message); Assert.Contains("'concentration'", e.Message); Assert.Contains("element 1 is 0", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Gamma(1.0, 2.0).LogProb(Tensor.FromArray([-1.0])));
        Assert.Contains("support", e.Message);
    }
}
