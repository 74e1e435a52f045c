using MathNet.Numerics.LinearAlgebra;
using Vinfer.Distributions;
using Vinfer.Random;
using Vinfer.Tensors;
using MN = MathNet.Numerics.Distributions;
using static Vinfer.Tests.Distributions.DistributionChecks;

namespace Vinfer.Tests.Distributions;

public class MultivariateNormalTests
{
    private static readonly double[] Sigma = [2.0, 0.6, -0.3, 0.6, 1.5, 0.4, -0.3, 0.4, 0.8];
    private static readonly double[] Mu = [0.5, -1.0, 2.0];

    private static double Reference(double[] mu, double[] sigma, double[] x)
    {
        int d = mu.Length;
        var s = Matrix<double>.Build.DenseOfRowMajor(d, d, sigma);
        var r = Vector<double>.Build.DenseOfArray(x) - Vector<double>.Build.DenseOfArray(mu);
        return -0.5 * r.DotProduct(s.Solve(r)) - 0.5 * Math.Log(s.Determinant()) - 0.5 * d * Math.Log(2 * Math.PI);
    }

    private static Tensor Chol() => Tensor.FromArray(Matrix<double>.Build.DenseOfRowMajor(3, 3, Sigma).Cholesky().Factor.ToRowMajorArray(), 3, 3);

    [Fact]
    public void AllThreeParameterizationsMatchTheClosedForm()
    {
        var x = Uniform(1, -8, 8, 5, 3);
        var precision = Matrix<double>.Build.DenseOfRowMajor(3, 3, Sigma).Inverse().ToRowMajorArray();
        var ds = new[]
        {
            new MultivariateNormal(Tensor.FromArray(Mu), scaleTril: Chol()),
            new MultivariateNormal(Tensor.FromArray(Mu), covariance: Tensor.FromArray(Sigma, 3, 3)),
            new MultivariateNormal(Tensor.FromArray(Mu), precision: Tensor.FromArray(precision, 3, 3)),
        };
        foreach (var d in ds)
        {
            var lp = d.LogProb(x);
            Assert.Equal([5], lp.Shape.ToArray());
            for (int i = 0; i < 5; i++) Assert.Equal(Reference(Mu, Sigma, x.Span.Slice(i * 3, 3).ToArray()), lp.Span[i], 10);
            AssertClose(Sigma, d.Covariance.Span, 1e-12, "covariance");
        }
        double entropy = 0.5 * Math.Log(Matrix<double>.Build.DenseOfRowMajor(3, 3, Sigma).Determinant()) + 1.5 * (1 + Math.Log(2 * Math.PI));
        Assert.Equal(entropy, ds[0].Entropy().Item(), 12);
    }

    [Fact]
    public void LogProbGradients()
    {
        AssertGradient(t => new MultivariateNormal(t[0], scaleTril: t[1], validateArgs: false).LogProb(t[2]), 1e-6,
            Tensor.FromArray(Mu), Chol(), Uniform(2, -2, 2, 4, 3));
        // Covariance and precision through a symmetric parameterization BBᵀ + I (the Cholesky and inverse backward passes).
        var b = Uniform(3, -0.5, 0.5, 3, 3);
        Tensor Spd(Tensor m) => m.MatMul(m.MT) + LowRankMultivariateNormal.Identity(3);
        AssertGradient(t => new MultivariateNormal(t[0], covariance: Spd(t[1])).LogProb(t[2]), 1e-6, Tensor.FromArray(Mu), b, Uniform(4, -2, 2, 4, 3));
        AssertGradient(t => new MultivariateNormal(t[0], precision: Spd(t[1])).LogProb(t[2]), 1e-6, Tensor.FromArray(Mu), b, Uniform(5, -2, 2, 4, 3));
    }

    [Fact]
    public void SamplesHaveTheRightMeanCovarianceAndProjections()
    {
        var d = new MultivariateNormal(Tensor.FromArray(Mu), scaleTril: Chol());
        var x = d.Sample(new RandomStream(9), Draws);
        Assert.Equal([Draws, 3], x.Shape.ToArray());
        var a = new[] { 0.3, -1.2, 0.7 };
        var proj = new double[Draws];
        for (int i = 0; i < Draws; i++) for (int j = 0; j < 3; j++) proj[i] += a[j] * x.Span[i * 3 + j];
        double m = a.Zip(Mu).Sum(p => p.First * p.Second), v = 0;
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) v += a[i] * Sigma[i * 3 + j] * a[j];
        AssertKolmogorovSmirnov(proj, t => MN.Normal.CDF(m, Math.Sqrt(v), t), "MVN projection");
        AssertMoments(proj, m, v, "MVN projection");
        AssertGradient(t => new MultivariateNormal(t[0], scaleTril: t[1], validateArgs: false).RSample(new RandomStream(4), 2), 1e-7, Tensor.FromArray(Mu), Chol());
    }

    [Fact]
    public void LowRankMatchesDenseAndSamplesCorrectly()
    {
        var w = Uniform(6, -1, 1, 3, 2);
        var diag = Tensor.FromArray([0.5, 1.0, 0.2]);
        var lr = new LowRankMultivariateNormal(Tensor.FromArray(Mu), w, diag);
        var cov = (w.MatMul(w.MT) + diag.Unsqueeze(-1) * LowRankMultivariateNormal.Identity(3)).ToArray();
        var x = Uniform(7, -3, 3, 4, 3);
        for (int i = 0; i < 4; i++) Assert.Equal(Reference(Mu, cov, x.Span.Slice(i * 3, 3).ToArray()), lr.LogProb(x).Span[i], 10);
        var s = lr.Sample(new RandomStream(3), Draws);
        for (int j = 0; j < 3; j++)
        {
            var marginal = Enumerable.Range(0, Draws).Select(i => s.Span[i * 3 + j]).ToArray();
            AssertKolmogorovSmirnov(marginal, t => MN.Normal.CDF(Mu[j], Math.Sqrt(cov[j * 3 + j]), t), $"low-rank marginal {j}");
        }
        AssertClose(Enumerable.Range(0, 3).Select(j => cov[j * 3 + j]).ToArray(), lr.Variance.Span, 1e-12, "variance");
        AssertGradient(t => new LowRankMultivariateNormal(t[0], t[1], t[2]).LogProb(x), 1e-6, Tensor.FromArray(Mu), w, diag);
    }

    [Fact]
    public void KullbackLeiblerMatchesMonteCarlo()
    {
        var p = new MultivariateNormal(Tensor.FromArray(Mu), scaleTril: Chol());
        var q = new MultivariateNormal(Tensor.FromArray([0.0, 0, 1]), covariance: Tensor.FromArray([1.0, 0.2, 0, 0.2, 2, 0.3, 0, 0.3, 1.5], 3, 3));
        double kl = KullbackLeibler.Divergence(p, q).Item();
        var x = p.Sample(new RandomStream(12), Draws);
        var diff = (p.LogProb(x) - q.LogProb(x)).ToArray();
        double m = diff.Average(), se = Math.Sqrt(diff.Select(v => (v - m) * (v - m)).Sum() / (Draws - 1) / Draws);
        Assert.True(Math.Abs(kl - m) <= 6 * se, $"MVN KL {kl:G8} vs Monte Carlo {m:G8} (se {se:G3})");
        Assert.Equal(0.0, KullbackLeibler.Divergence(p, p).Item(), 12);
    }

    [Fact]
    public void BadCovarianceIsNamed()
    {
        var e = Assert.Throws<ArgumentException>(() => new MultivariateNormal(Tensor.Zeros(2), covariance: Tensor.FromArray([1.0, 2, 2, 1], 2, 2)));
        Assert.Contains("MultivariateNormal", e.Message); Assert.Contains("'covariance'", e.Message); Assert.Contains("positive definite", e.Message);
        e = Assert.Throws<ArgumentException>(() => new MultivariateNormal(Tensor.Zeros(2), scaleTril: Tensor.FromArray([1.0, 0.5, 0, 1], 2, 2)));
        Assert.Contains("'scaleTril'", e.Message);
        e = Assert.Throws<ArgumentException>(() => new MultivariateNormal(Tensor.Zeros(3), scaleTril: Tensor.FromArray([1.0, 0, 0, 1], 2, 2)));
        Assert.Contains("'scaleTril'", e.Message);
    }


    [Theory]
    [InlineData(1, 1e-3)]   // nearly singular: one direction a thousand times narrower
    [InlineData(2, 1.0)]
    [InlineData(3, 1e3)]    // wide
    public void LogProbMatchesTheClosedFormOnRandomCovariances(int seed, double scale)
    {
        // Σ = scale·(Q diag(λ) Qᵀ) with eigenvalues spread over six orders of magnitude, at points in the tails too.
        var rng = new System.Random(seed);
        var q = Matrix<double>.Build.Random(4, 4, new MathNet.Numerics.Distributions.Normal(0, 1, rng)).QR().Q;
        var eigen = Vector<double>.Build.DenseOfArray([1e-3, 0.1, 1.0, 1e3]);
        var sigma = (scale * q * Matrix<double>.Build.DenseOfDiagonalVector(eigen) * q.Transpose()).ToRowMajorArray();
        for (int i = 0; i < 4; i++) for (int j = 0; j < i; j++) sigma[j * 4 + i] = sigma[i * 4 + j]; // exactly symmetric
        var mu = Enumerable.Range(0, 4).Select(_ => 10 * rng.NextDouble() - 5).ToArray();
        var x = Uniform(seed + 10, -30, 30, 6, 4);
        var lp = new MultivariateNormal(Tensor.FromArray(mu), covariance: Tensor.FromArray(sigma, 4, 4)).LogProb(x).Span;
        var expected = Enumerable.Range(0, 6).Select(r => Reference(mu, sigma, x.Span.Slice(r * 4, 4).ToArray())).ToArray();
        AssertClose(expected, lp, 1e-9, $"MVN (scale {scale})"); // condition number 1e6: ~1e6·ε relative error in the quadratic form
    }

    [Fact]
    public void LowRankLogProbGradientInParametersAndValue() =>
        AssertGradient(t => new LowRankMultivariateNormal(t[0], t[1], t[2]).LogProb(t[3]), 1e-6,
            Tensor.FromArray(Mu), Uniform(6, -1, 1, 3, 2), Tensor.FromArray([0.5, 1.0, 0.2]), Uniform(8, -3, 3, 4, 3));

    [Theory]
    [InlineData(1e-4, 1e4)]  // a nearly flat diagonal under a dominant factor
    [InlineData(1e3, 1e-2)]
    public void LowRankMatchesTheClosedFormAtExtremeScales(double diagonal, double factorScale)
    {
        var w = Uniform(16, -1, 1, 3, 2) * Math.Sqrt(factorScale);
        var diag = Tensor.FromArray([diagonal, 2 * diagonal, 0.5 * diagonal]);
        var cov = (w.MatMul(w.MT) + diag.Unsqueeze(-1) * LowRankMultivariateNormal.Identity(3)).ToArray();
        var x = Uniform(17, -50, 50, 5, 3);
        var lp = new LowRankMultivariateNormal(Tensor.FromArray(Mu), w, diag).LogProb(x).Span;
        var expected = Enumerable.Range(0, 5).Select(r => Reference(Mu, cov, x.Span.Slice(r * 3, 3).ToArray())).ToArray();
        AssertClose(expected, lp, 1e-6, $"low-rank MVN (diagonal {diagonal}, factor scale {factorScale})");
    }
}
