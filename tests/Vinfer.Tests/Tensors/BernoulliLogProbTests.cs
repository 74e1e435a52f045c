using Vinfer.Distributions;
using Vinfer.Tensors;

namespace Vinfer.Tests.Tensors;

/// <summary>
/// The fused Bernoulli log-likelihood by logits against its composite definition value·ℓ − softplus(ℓ): the same bits
/// for equal shapes and for data broadcast over leading axes (the VAE's [k, batch, d] logits against [batch, d] data),
/// over logits from −800 to 800 (softplus's tails); gradients in both inputs through the op registry and here against
/// the composite's.
/// </summary>
public class BernoulliLogProbTests
{
    [Theory, InlineData(new[] { 3, 4, 37 }, new[] { 4, 37 }), InlineData(new[] { 5, 300 }, new[] { 5, 300 }), InlineData(new[] { 2, 700 }, new[] { 700 })]
    public void FusedEqualsTheCompositeInValueAndGradient(int[] logitShape, int[] valueShape)
    {
        var rng = new System.Random(5);
        var logits = Tensor.Zeros(logitShape);
        var ls = logits.Span;
        for (int i = 0; i < ls.Length; i++) ls[i] = i % 97 == 0 ? (i % 2 == 0 ? 800 : -800) : 20 * (rng.NextDouble() - 0.5);
        var value = Tensor.Zeros(valueShape);
        var vs = value.Span;
        for (int i = 0; i < vs.Length; i++) vs[i] = rng.Next(2);
        var weights = OpGradientRegistry.U(rng, -1, 1, logitShape);

        var (fused, fusedLogits, fusedValue) = Run(logits, value, weights, (l, v) => l.BernoulliLogProb(v));
        var (composite, compositeLogits, compositeValue) = Run(logits, value, weights, (l, v) => v * l - l.Softplus());
        Assert.Equal(composite, fused);
        for (int i = 0; i < composite.Length; i++) Assert.True(double.IsFinite(fused[i]), $"entry {i}: {fused[i]}");
        // σ(ℓ) is computed directly instead of through the softplus's derivative: equal to a few ulps
        for (int i = 0; i < compositeLogits.Length; i++) Assert.Equal(compositeLogits[i], fusedLogits[i], 1e-15);
        for (int i = 0; i < compositeValue.Length; i++) Assert.Equal(compositeValue[i], fusedValue[i], 1e-12 * Math.Max(1, Math.Abs(compositeValue[i])));
    }

    [Fact]
    public void DataWithMoreDimensionsThanTheLogitsFallsBackToTheCompositeShape()
    {
        var logits = Tensor.FromArray([0.5, -1.0]);
        var value = Tensor.FromArray([1.0, 0.0, 0.0, 1.0], 2, 2);
        var r = logits.BernoulliLogProb(value);
        Assert.Equal([2, 2], r.Shape.ToArray());
        Assert.Equal(0.5 - Math.Log(1 + Math.Exp(0.5)), r[0, 0], 1e-15);
        Assert.Equal(-1.0 - Math.Log(1 + Math.Exp(-1.0)), r[1, 1], 1e-15);
    }

    [Fact]
    public void BernoulliDistributionByLogitsUsesIt()
    {
        var logits = Tensor.Parameter([-3.0, 0.0, 2.5], 3);
        var lp = new Bernoulli(logits: logits).LogProb(Tensor.FromArray([0.0, 1.0, 1.0]));
        Assert.Equal("BernoulliLogProb", lp.Node?.Name);
        Assert.Equal(-Math.Log(1 + Math.Exp(-3.0)), lp[0], 1e-15);
        Assert.Equal(-Math.Log(2), lp[1], 1e-15);
        Assert.Equal(2.5 - Math.Log(1 + Math.Exp(2.5)), lp[2], 1e-15);
    }

    private static (double[] Value, double[] LogitGradient, double[] ValueGradient) Run(Tensor logits, Tensor value, Tensor weights, Func<Tensor, Tensor, Tensor> f)
    {
        var l = Tensor.Parameter(logits.Span, logits.Shape.ToArray());
        var v = Tensor.Parameter(value.Span, value.Shape.ToArray());
        var y = f(l, v);
        (y * weights).Sum().Backward();
        return (y.ToArray(), l.Grad!.ToArray(), v.Grad!.ToArray());
    }
}
