using Vinfer.Distributions;
using Vinfer.Random;
using Vinfer.Tensors;
using MN = MathNet.Numerics.Distributions;
using static Vinfer.Tests.Distributions.DistributionChecks;

namespace Vinfer.Tests.Distributions;

/// <summary>TransformedDistribution, MixtureSameFamily, Independent and LKJCholesky.</summary>
public class CompositeDistributionTests
{
    [Fact]
    public void TransformedNormalThroughExpIsLogNormal()
    {
        var loc = Tensor.FromArray([0.2, -0.5]); var scale = Tensor.FromArray([0.7, 1.3]);
        var t = new TransformedDistribution(new Normal(loc, scale), new ExpBijector());
        var x = LogUniform(1, 1e-3, 1e2, 6, 2);
        AssertClose(new LogNormal(loc, scale).LogProb(x).Span, t.LogProb(x).Span, 1e-12, "Normal→Exp");
        var draws = t.Sample(new RandomStream(2), Draws).ToArray().Where((_, i) => i % 2 == 0).ToArray();
        AssertKolmogorovSmirnov(draws, v => MN.LogNormal.CDF(0.2, 0.7, v), "Normal→Exp draws");
        AssertGradient(p => new TransformedDistribution(new Normal(p[0], p[1]), new ExpBijector(), new AffineBijector(1.0, 2.0)).LogProb(p[2]), 1e-6,
            loc, scale, LogUniform(3, 1.5, 4, 3, 2));
    }

    [Fact]
    public void StickBreakingPushforwardHasSimplexEvents()
    {
        var baseDist = new Normal(Tensor.Zeros(3), Tensor.Ones(3)).ToEvent(1);
        var t = new TransformedDistribution(baseDist, new StickBreakingBijector());
        Assert.Equal([4], t.EventShape);
        Assert.Empty(t.BatchShape);
        var y = t.Sample(new RandomStream(4), 5);
        Assert.Equal([5, 4], y.Shape.ToArray());
        var b = new StickBreakingBijector();
        var x = b.Inverse(y);
        var expected = (baseDist.LogProb(x) - b.LogAbsDetJacobian(x, y)).ToArray();
        AssertClose(expected, t.LogProb(y).Span, 1e-10, "stick-breaking pushforward");
    }

    [Fact]
    public void GaussianMixture()
    {
        var w = new[] { 0.3, 0.7 };
        var mix = new MixtureSameFamily(new Categorical(probs: Tensor.FromArray(w)), new Normal(Tensor.FromArray([-2.0, 1.5]), Tensor.FromArray([0.5, 1.0])));
        Assert.Empty(mix.BatchShape);
        var x = Uniform(11, -6, 6, 15);
        var lp = mix.LogProb(x).Span;
        for (int i = 0; i < 15; i++)
            Assert.Equal(Math.Log(0.3 * MN.Normal.PDF(-2, 0.5, x.Span[i]) + 0.7 * MN.Normal.PDF(1.5, 1, x.Span[i])), lp[i], 12);
        var draws = mix.Sample(new RandomStream(12), Draws).ToArray();
        double Cdf(double v) => 0.3 * MN.Normal.CDF(-2, 0.5, v) + 0.7 * MN.Normal.CDF(1.5, 1, v);
        AssertKolmogorovSmirnov(draws, Cdf, "Gaussian mixture");
        double mean = 0.3 * -2 + 0.7 * 1.5, variance = 0.3 * (0.25 + 4) + 0.7 * (1 + 2.25) - mean * mean;
        Assert.Equal(mean, mix.Mean.Item(), 12); Assert.Equal(variance, mix.Variance.Item(), 12);
        AssertMoments(draws, mean, variance, "Gaussian mixture");
        AssertGradient(p => new MixtureSameFamily(new Categorical(logits: p[0]), new Normal(p[1], p[2])).LogProb(x), 1e-6,
            Tensor.FromArray([0.1, -0.4]), Tensor.FromArray([-2.0, 1.5]), Tensor.FromArray([0.5, 1.0]));
        Assert.Throws<ArgumentException>(() => new MixtureSameFamily(new Categorical(probs: Tensor.FromArray(w)), new Normal(Tensor.Zeros(3), Tensor.Ones(3))));
    }

    [Fact]
    public void MixtureOfMultivariateComponents()
    {
        var comps = new Normal(Tensor.FromArray([0.0, 0, 3, 3], 2, 2), Tensor.Ones(2, 2)).ToEvent(1);
        var mix = new MixtureSameFamily(new Categorical(probs: Tensor.FromArray([0.5, 0.5])), comps);
        Assert.Equal([2], mix.EventShape);
        var s = mix.Sample(new RandomStream(13), 7);
        Assert.Equal([7, 2], s.Shape.ToArray());
        Assert.Equal([7], mix.LogProb(s).Shape.ToArray());
        AssertClose([1.5, 1.5], mix.Mean.Span, 1e-12, "mixture mean");
    }

    [Fact]
    public void IndependentSumsEventDimensions()
    {
        var n = new Normal(Tensor.Zeros(4, 3), Tensor.Ones(4, 3));
        var ind = n.ToEvent(1);
        Assert.Equal([4], ind.BatchShape); Assert.Equal([3], ind.EventShape);
        var x = Uniform(14, -2, 2, 4, 3);
        AssertClose(n.LogProb(x).Sum(-1).Span, ind.LogProb(x).Span, 1e-14, "Independent");
        Assert.Equal([4], ind.Entropy().Shape.ToArray());
        Assert.Equal([2, 4, 3], ind.Expand(2, 4).Sample(new RandomStream(1)).Shape.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => n.ToEvent(3));
    }

    [Fact]
    public void LKJCholeskyNormalizesAndMatchesMarginals()
    {
        foreach (double eta in new[] { 0.5, 1.0, 3.0 })
        {
            // d = 2: L = [[1, 0], [r, √(1 − r²)]]; the density over r must integrate to 1.
            var d2 = new LKJCholesky(2, eta);
            const int grid = 4000;
            var ls = new double[grid * 4];
            for (int i = 0; i < grid; i++)
            {
                double r = -1 + (i + 0.5) * 2.0 / grid;
                ls[i * 4] = 1; ls[i * 4 + 2] = r; ls[i * 4 + 3] = Math.Sqrt(1 - r * r);
            }
            var lp = d2.LogProb(Tensor.FromArray(ls, grid, 2, 2)).ToArray();
            double integral = lp.Sum(Math.Exp) * 2.0 / grid;
            Assert.True(Math.Abs(integral - 1) < (eta < 1 ? 2e-2 : 1e-4), $"η={eta}: ∫p = {integral}");

            // d = 3: each correlation's marginal is 2·Beta(η + ½, η + ½) − 1, and L₂₁ is the (2, 1) correlation.
            var d3 = new LKJCholesky(3, eta);
            var draws = d3.Sample(new RandomStream(15), Draws);
            Assert.All(Constraints.CorrCholesky.Check(draws).ToArray(), v => Assert.Equal(1.0, v));
            var r21 = Enumerable.Range(0, Draws).Select(i => draws.Span[i * 9 + 3]).ToArray();
            double b = eta + 0.5;
            AssertKolmogorovSmirnov(r21, v => MN.Beta.CDF(b, b, (v + 1) / 2), $"LKJ(3, {eta}) r21");
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => new LKJCholesky(1, 1.0));
        AssertGradient(p => new LKJCholesky(3, p[0]).LogProb(new LKJCholesky(3, 2.0).Sample(new RandomStream(16), 2)), 1e-6, Tensor.Scalar(1.7));
    }


    [Fact]
    public void MixtureLogProbGradientInTheValue() =>
        AssertGradient(p => new MixtureSameFamily(new Categorical(logits: p[0]), new Normal(p[1], p[2])).LogProb(p[3]), 1e-6,
            Tensor.FromArray([0.1, -0.4]), Tensor.FromArray([-2.0, 1.5]), Tensor.FromArray([0.5, 1.0]), Uniform(19, -4, 4, 5));

    [Fact]
    public void IndependentLogProbGradientInParametersAndValue() =>
        AssertGradient(p => new Normal(p[0], p[1]).ToEvent(1).LogProb(p[2]), 1e-6,
            Uniform(20, -1, 1, 2, 3), LogUniform(21, 0.3, 3, 2, 3), Uniform(22, -3, 3, 4, 2, 3));

    [Fact]
    public void ExpandedMatchesTheBroadcastBaseAndIsDifferentiable()
    {
        var loc = Tensor.FromArray([0.3, -1.2, 40.0]); var scale = Tensor.FromArray([1e-3, 1.0, 1e3]);
        var e = new ExpandedDistribution(new Normal(loc, scale), [2, 3]);
        var x = Uniform(23, -60, 60, 5, 2, 3);
        var lp = e.LogProb(x);
        Assert.Equal([5, 2, 3], lp.Shape.ToArray());
        var expected = new double[30];
        for (int i = 0; i < 30; i++) expected[i] = MN.Normal.PDFLn(loc.Span[i % 3], scale.Span[i % 3], x.Span[i]);
        AssertClose(expected, lp.Span, 1e-10, "Expanded Normal");
        AssertGradient(p => new ExpandedDistribution(new Normal(p[0], p[1]), [4, 2]).LogProb(p[2]), 1e-6,
            Tensor.FromArray([0.2, -0.5]), Tensor.FromArray([0.7, 1.3]), Uniform(24, -2, 2, 3, 4, 2));
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(1.0)]
    [InlineData(50.0)]
    public void LKJCholeskyInTwoDimensionsIsTheScaledBetaDensity(double eta)
    {
        // d = 2: L = [[1, 0], [r, √(1 − r²)]] and r = 2B − 1 with B ~ Beta(η, η), so p(r) = (1 − r²)^(η − 1) / (2^(2η − 1) B(η, η)).
        var r = Uniform(25, -0.999, 0.999, 40).ToArray();
        var ls = new double[40 * 4];
        for (int i = 0; i < 40; i++) { ls[i * 4] = 1; ls[i * 4 + 2] = r[i]; ls[i * 4 + 3] = Math.Sqrt(1 - r[i] * r[i]); }
        var lp = new LKJCholesky(2, eta).LogProb(Tensor.FromArray(ls, 40, 2, 2)).Span;
        var expected = r.Select(v => MN.Beta.PDFLn(eta, eta, (v + 1) / 2) - Math.Log(2)).ToArray(); // dB/dr = ½
        AssertClose(expected, lp, 1e-9, $"LKJCholesky(2, {eta})");
    }

    [Fact]
    public void LKJCholeskyLogProbGradientInConcentrationAndValue()
    {
        var b = new CorrCholeskyBijector();
        AssertGradient(p => new LKJCholesky(4, p[0]).LogProb(b.Forward(p[1])), 1e-6, Tensor.FromArray([0.7, 2.5]), Uniform(26, -1, 1, 3, 2, 6));
    }
}
