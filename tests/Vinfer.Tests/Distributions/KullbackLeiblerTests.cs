using Vinfer.Autodiff;
using Vinfer.Tensors;
using Vinfer.Distributions;
using Vinfer.Random;
using static Vinfer.Tests.Distributions.DistributionChecks;

namespace Vinfer.Tests.Distributions;

/// <summary>Every registered analytic KL against a Monte Carlo estimate E_p[log p − log q] (fixed seed, 6 standard errors).</summary>
public class KullbackLeiblerTests
{
    private static readonly Dictionary<string, Func<(Distribution P, Distribution Q)>> Pairs = new()
    {
        ["Normal"] = () => (new Normal(Tensor.FromArray([0.3, -1]), Tensor.FromArray([1.2, 0.5])), new Normal(Tensor.FromArray([-0.2, 0.4]), Tensor.FromArray([0.8, 2.0]))),
        ["Gamma"] = () => (new Gamma(Tensor.FromArray([0.7, 3]), Tensor.FromArray([1.5, 0.5])), new Gamma(Tensor.FromArray([1.3, 2]), Tensor.FromArray([1.0, 0.8]))),
        ["Beta"] = () => (new Beta(Tensor.FromArray([0.8, 3]), Tensor.FromArray([2.0, 1.5])), new Beta(Tensor.FromArray([1.5, 2]), Tensor.FromArray([1.0, 4.0]))),
        ["Dirichlet"] = () => (new Dirichlet(Tensor.FromArray([0.8, 2, 3, 1.5, 1, 0.6], 2, 3)), new Dirichlet(Tensor.FromArray([1.0, 1, 1, 2, 3, 0.9], 2, 3))),
        ["Categorical"] = () => (new Categorical(probs: Tensor.FromArray([0.2, 0.3, 0.5])), new Categorical(logits: Tensor.FromArray([0.1, -0.4, 0.9]))),
        ["Bernoulli"] = () => (new Bernoulli(probs: Tensor.FromArray([0.3, 0.9])), new Bernoulli(logits: Tensor.FromArray([0.5, -1.0]))),
        ["Exponential"] = () => (new Exponential(Tensor.FromArray([0.5, 3])), new Exponential(Tensor.FromArray([1.5, 2]))),
        ["Independent"] = () => (new Normal(Tensor.FromArray([0.3, -1]), Tensor.FromArray([1.2, 0.5])).ToEvent(1), new Normal(Tensor.FromArray([0.0, 0.0]), Tensor.FromArray([1.0, 1.0])).ToEvent(1)),
    };

    public static TheoryData<string> Names()
    {
        var d = new TheoryData<string>();
        foreach (var k in Pairs.Keys) d.Add(k);
        return d;
    }

    [Theory, MemberData(nameof(Names))]
    public void AnalyticMatchesMonteCarlo(string name)
    {
        var (p, q) = Pairs[name]();
        var kl = KullbackLeibler.Divergence(p, q);
        Assert.Equal(p.BatchShape, kl.Shape.ToArray());
        var x = p.Sample(new RandomStream(2026), Draws);
        var diff = (p.LogProb(x) - q.LogProb(x));
        int batch = kl.Count;
        var d = diff.Span;
        for (int b = 0; b < batch; b++)
        {
            double m = 0, v = 0;
            for (int i = 0; i < Draws; i++) m += d[i * batch + b];
            m /= Draws;
            for (int i = 0; i < Draws; i++) v += (d[i * batch + b] - m) * (d[i * batch + b] - m);
            double se = Math.Sqrt(v / (Draws - 1) / Draws);
            double analytic = kl.Span[b];
            Assert.True(Math.Abs(analytic - m) <= 6 * se + 1e-12, $"{name}[{b}]: analytic KL {analytic:G8} vs Monte Carlo {m:G8} (se {se:G3})");
            Assert.True(analytic >= -1e-12);
        }
    }

    [Fact]
    public void KullbackLeiblerOfADistributionWithItselfIsZeroAndDifferentiable()
    {
        foreach (var (name, make) in Pairs)
        {
            var (p, _) = make();
            Assert.All(KullbackLeibler.Divergence(p, p).ToArray(), v => Assert.True(Math.Abs(v) < 1e-12, name));
        }
        var r = GradientCheck.Check(t => KullbackLeibler.Divergence(new Gamma(t[0], t[1]), new Gamma(t[2], t[3])),
            [Tensor.FromArray([0.7, 2]), Tensor.FromArray([1.1, 0.4]), Tensor.FromArray([1.3, 1]), Tensor.FromArray([0.9, 2.2])]);
        Assert.True(r.Passed, r.ToString());
    }

    [Fact]
    public void UnregisteredPairNamesBothDistributions()
    {
        var e = Assert.Throws<NotSupportedException>(() => KullbackLeibler.Divergence(new Normal(0, 1), new Cauchy(0, 1)));
        Assert.Contains("Normal", e.Message); Assert.Contains("Cauchy", e.Message);
        Assert.False(KullbackLeibler.IsRegistered(new Laplace(0, 1), new Laplace(0, 2)));
    }
}
