using Vinfer.Distributions;
using Vinfer.Modeling;
using Vinfer.Models.Vae;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Tests.Models.Vae;

public class BurdaVaeTests
{
    private static Tensor Images(int batch, int pixels, ulong seed)
    {
        var u = new double[batch * pixels];
        Sample.Uniform(new RandomKey(seed), u);
        for (int i = 0; i < u.Length; i++) u[i] = u[i] < 0.4 ? 1 : 0;
        return Tensor.FromArray(u, batch, pixels);
    }

    private static Tensor SumLast(Tensor t) => t.Sum(-1);

    [Fact]
    public void OneLayerLogWeightsMatchTheDistributionsLibrary()
    {
        using var use = new ParamStore().Use();
        var vae = new BurdaVae("v", 1, new RandomStream(1), pixels: 12);
        var x = Images(3, 12, 2);
        var key = new RandomKey(5);
        var logWeights = vae.LogWeights(x, 4, key);
        var (latents, _) = vae.Guide(x, 4, key);
        var z = latents[0];
        var (mean, logScale) = vae.Encode(x);
        var logQ = SumLast(new Normal(mean, logScale.Exp()).LogProb(z));
        var logPz = SumLast(new Normal(0, 1).LogProb(z));
        var logPx = SumLast(new Bernoulli(probs: vae.DecodeMeanLogits(z).Sigmoid()).LogProb(x));
        var expected = (logPx + logPz - logQ).Span.ToArray();
        Assert.Equal([4, 3], logWeights.Shape.ToArray());
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], logWeights.Span[i], 1e-9);
    }

    [Fact]
    public void TwoLayerLogWeightsMatchTheDistributionsLibrary()
    {
        using var use = new ParamStore().Use();
        var vae = new BurdaVae("v", 2, new RandomStream(1), pixels: 10);
        var x = Images(2, 10, 3);
        var key = new RandomKey(6);
        var logWeights = vae.LogWeights(x, 3, key);
        var (latents, _) = vae.Guide(x, 3, key);
        var (h1, h2) = (latents[0], latents[1]);
        Assert.Equal([3, 2, 100], h1.Shape.ToArray());
        Assert.Equal([3, 2, 50], h2.Shape.ToArray());
        var m = vae.Modules; // encoder.0, encoder.1, decoder.0, decoder.1
        var e0 = m[0].Forward(x); var e1 = m[1].Forward(h1); var d0 = m[2].Forward(h2); var d1 = m[3].Forward(h1);
        var logQ = SumLast(new Normal(e0.Narrow(-1, 0, 100), e0.Narrow(-1, 100, 100).Exp()).LogProb(h1))
                 + SumLast(new Normal(e1.Narrow(-1, 0, 50), e1.Narrow(-1, 50, 50).Exp()).LogProb(h2));
        var logP = SumLast(new Normal(0, 1).LogProb(h2))
                 + SumLast(new Normal(d0.Narrow(-1, 0, 100), d0.Narrow(-1, 100, 100).Exp()).LogProb(h1))
                 + SumLast(new Bernoulli(probs: d1.Sigmoid()).LogProb(x));
        var expected = (logP - logQ).Span.ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], logWeights.Span[i], 1e-9);
    }

    [Fact]
    public void BoundsAgainstTheirFormulas()
    {
        // log-weights of one point: -1, -3, -2 (K = 3)
        var w = Tensor.FromArray([-1.0, -3, -2], 3, 1);
        double lse = Math.Log((Math.Exp(-1) + Math.Exp(-3) + Math.Exp(-2)) / 3);
        double renyi = 2 * Math.Log((Math.Exp(-0.5) + Math.Exp(-1.5) + Math.Exp(-1)) / 3);
        Assert.Equal(-2.0, VaeBounds.PerPoint(w, VaeObjective.Elbo).Item(), 1e-14);
        Assert.Equal(lse, VaeBounds.PerPoint(w, VaeObjective.Iwae).Item(), 1e-14);
        Assert.Equal(renyi, VaeBounds.PerPoint(w, VaeObjective.RenyiHalf).Item(), 1e-14);
        Assert.Equal(-1.0, VaeBounds.PerPoint(w, VaeObjective.RenyiMax).Item(), 1e-14);
        // ordering of the family (Li and Turner 2016, Theorem 1): ELBO ≤ VR(0.5) ≤ IWAE ≤ VR-max
        Assert.True(-2.0 < renyi && renyi < lse && lse < -1.0);
    }

    private static double[] Gradient(BurdaVae vae, Func<Tensor> loss)
    {
        vae.ZeroGrad();
        loss().Backward();
        return vae.Parameters().SelectMany(p => p.Value.Grad?.Span.ToArray() ?? new double[p.Value.Count]).ToArray();
    }

    /// <summary>
    /// With K = 1 the IWAE gradient is the total derivative of log w = log p(x, z) − log q(z | x): the path through the
    /// draws plus log q's direct dependence on φ at fixed draws; DReG keeps the path only. So draw by draw,
    /// IWAE = DReG + ∂/∂φ log q(z_fixed | x; φ), exactly. With two layers the path includes h1's way into
    /// log q(h2 | h1): cutting it (q(h2|h1)'s mean and scale detached) breaks the identity.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void WithOneSampleDregIsTheIwaeGradientMinusTheDirectScoreDrawByDraw(int layers)
    {
        using var use = new ParamStore().Use();
        var vae = new BurdaVae("v", layers, new RandomStream(5), pixels: 6);
        var x = Images(3, 6, 9);
        for (int d = 0; d < 4; d++)
        {
            var key = new RandomKey(300 + (ulong)d);
            var iwae = Gradient(vae, () => VaeBounds.Loss(vae, x, VaeObjective.Iwae, 1, key).Loss);
            var dreg = Gradient(vae, () => VaeBounds.Loss(vae, x, VaeObjective.Iwae, 1, key, doublyReparameterized: true).Loss);
            var score = Gradient(vae, () => DirectLogQ(vae, x, key).Mean());
            double largest = iwae.Max(Math.Abs);
            Assert.True(score.Max(Math.Abs) > 1e-3 * largest, "the direct score term should not vanish here");
            for (int i = 0; i < iwae.Length; i++)
                Assert.True(Math.Abs(iwae[i] - (dreg[i] + score[i])) < 1e-9 * (1 + largest), $"coordinate {i}: IWAE {iwae[i]}, DReG {dreg[i]} + score {score[i]}");
        }
    }

    /// <summary>log q(z | x; φ) [1, B] at the draws of <paramref name="key"/> held fixed, the guide's weights live.</summary>
    private static Tensor DirectLogQ(BurdaVae vae, Tensor x, RandomKey key)
    {
        var (latents, _) = vae.Guide(x, 1, key, detachDraws: true);
        Tensor input = x;
        Tensor? logQ = null;
        for (int l = 0; l < vae.StochasticLayers; l++)
        {
            var h = vae.Modules[l].Forward(input);
            int d = latents[l].Dim(-1);
            var scaled = (latents[l] - h.Narrow(-1, 0, d)) * (-h.Narrow(-1, d, d)).Exp();
            var term = (scaled.Square() * -0.5 - h.Narrow(-1, d, d)).Sum(-1) - d * 0.5 * Math.Log(2 * Math.PI);
            logQ = logQ is null ? term : logQ + term;
            input = latents[l];
        }
        return logQ!;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void DoublyReparameterizedGradientIsUnbiasedForTheIwaeGradient(int layers)
    {
        using var use = new ParamStore().Use();
        var vae = new BurdaVae("v", layers, new RandomStream(4), pixels: 6);
        var x = Images(2, 6, 7);
        // the encoders' parameters come first (with 2 layers, q(h1|x)'s gradient also flows through h1 into log q(h2|h1))
        int encoderCount = vae.Modules.Take(layers).Sum(m => m.ParameterCount);
        const int draws = 200;
        int n = vae.Parameters().Sum(p => p.Value.Count);
        var sum = new double[n]; var sumSquares = new double[n];
        for (int d = 0; d < draws; d++)
        {
            var key = new RandomKey(100 + (ulong)d);
            var iwae = Gradient(vae, () => VaeBounds.Loss(vae, x, VaeObjective.Iwae, 4, key).Loss);
            var dreg = Gradient(vae, () => VaeBounds.Loss(vae, x, VaeObjective.Iwae, 4, key, doublyReparameterized: true).Loss);
            // the decoder's gradient is the IWAE gradient itself, draw by draw
            for (int i = encoderCount; i < n; i++) Assert.Equal(iwae[i], dreg[i], 1e-10 * (1 + Math.Abs(iwae[i])));
            for (int i = 0; i < encoderCount; i++)
            {
                double diff = dreg[i] - iwae[i];
                sum[i] += diff; sumSquares[i] += diff * diff;
            }
        }
        // the encoder's gradient differs draw by draw but not in expectation: paired mean difference within 5 s.e.
        int tested = 0;
        for (int i = 0; i < encoderCount; i++)
        {
            double mean = sum[i] / draws;
            double se = Math.Sqrt(Math.Max(sumSquares[i] / draws - mean * mean, 0) / draws);
            if (se < 1e-12) continue;
            tested++;
            Assert.True(Math.Abs(mean) < 5 * se, $"encoder coordinate {i}: mean DReG − IWAE {mean} with s.e. {se}");
        }
        Assert.True(tested > 100);
    }

    /// <summary>
    /// The float32 networks (with the likelihood on the decoder's float32 logits) against float64 on the same
    /// parameters: log-weights and the IWAE and DReG gradients. Each log-weight is a sum over the pixels and latents
    /// of terms computed from float32 network outputs; with Σ fan-in along the longest path F (encoder, then decoder)
    /// and P pixels, 16·u·(F + P) relative to the sum of the terms' magnitudes bounds it as in the Mlp tests
    /// (BernoulliLikelihoodFloat32Tests); the magnitude sum is bounded here by the largest |log-weight| plus
    /// P·log 2 and the latents' count. Gradients: the same factor relative to the largest gradient.
    /// </summary>
    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    public void Float32MatchesFloat64InLogWeightsAndGradients(int layers, bool doublyReparameterized)
    {
        const int pixels = 12;
        using var use = new ParamStore().Use();
        var wide = new BurdaVae("v", layers, new RandomStream(3), pixels: pixels);
        var narrow = new BurdaVae("v", layers, new RandomStream(3), pixels: pixels, precision: Vinfer.Nn.Precision.Float32);
        var x = Images(4, pixels, 8);
        var key = new RandomKey(11);
        double unit = 1.0 / (1 << 24);
        int fanIn = layers == 1 ? pixels + 200 + 200 + 50 + 200 + 200 : pixels + 200 + 200 + 100 + 100 + 100 + 50 + 100 + 100 + 100 + 200 + 200;
        double tolerance = 16 * unit * (fanIn + pixels);
        var w64 = wide.LogWeights(x, 5, key).Span.ToArray();
        var w32 = narrow.LogWeights(x, 5, key).Span.ToArray();
        double scale = w64.Max(Math.Abs) + pixels * Math.Log(2) + 150;
        Assert.True(w64.Zip(w32).Any(p => p.First != p.Second), "float32 and float64 agree exactly: the float32 path did not run");
        for (int i = 0; i < w64.Length; i++)
            Assert.True(Math.Abs(w64[i] - w32[i]) <= tolerance * scale, $"log-weight {i}: {w32[i]} against {w64[i]}");
        var g64 = Gradient(wide, () => VaeBounds.Loss(wide, x, VaeObjective.Iwae, 5, key, doublyReparameterized).Loss);
        var g32 = Gradient(narrow, () => VaeBounds.Loss(narrow, x, VaeObjective.Iwae, 5, key, doublyReparameterized).Loss);
        double largest = g64.Max(Math.Abs);
        Assert.True(largest > 0);
        for (int i = 0; i < g64.Length; i++)
            Assert.True(Math.Abs(g64[i] - g32[i]) <= tolerance * largest, $"gradient {i}: {g32[i]} against {g64[i]} (largest {largest:g3})");
    }

    [Fact]
    public void RejectsBadArguments()
    {
        using var use = new ParamStore().Use();
        Assert.Contains("must be 1 or 2, got 3", Assert.Throws<ArgumentOutOfRangeException>(() => new BurdaVae("v", 3, new RandomStream(1))).Message);
        var vae = new BurdaVae("v", 1, new RandomStream(1), pixels: 4);
        Assert.Contains("expected images [batch, 4], got shape [2, 5]", Assert.Throws<ArgumentException>(() => vae.LogWeights(Tensor.Zeros(2, 5), 1, new RandomKey(1))).Message);
        Assert.Contains("at least 1, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => vae.LogWeights(Tensor.Zeros(2, 4), 0, new RandomKey(1))).Message);
        Assert.Throws<ArgumentException>(() => VaeBounds.Loss(vae, Tensor.Zeros(2, 4), VaeObjective.RenyiMax, 3, new RandomKey(1), doublyReparameterized: true));
    }

    [Fact]
    public void LogLikelihoodEstimateIsTheLogMeanExpOfItsChunks()
    {
        using var use = new ParamStore().Use();
        var vae = new BurdaVae("v", 1, new RandomStream(2), pixels: 5);
        var x = Images(3, 5, 8);
        var key = new RandomKey(11);
        // one chunk of 7 samples over one batch equals the IWAE bound of the same draws
        var oneChunk = VaeEvaluation.LogLikelihoods(vae, x.Span, 7, key, chunk: 7, batch: 3);
        var direct = VaeBounds.PerPoint(vae.LogWeights(x, 7, key.Child(0).Child(0)), VaeObjective.Iwae);
        for (int i = 0; i < 3; i++) Assert.Equal(direct.Span[i], oneChunk[i], 1e-12);
        // chunks 3 + 3 + 1: log((e^{a} + e^{b} + e^{c}) / 7) of the chunks' log-sum-exps
        var chunked = VaeEvaluation.LogLikelihoods(vae, x.Span, 7, key, chunk: 3, batch: 3);
        var parts = new[] { 3, 3, 1 }.Select((k, c) => vae.LogWeights(x, k, key.Child(0).Child(c)).LogSumExp(0)).ToArray();
        for (int i = 0; i < 3; i++)
        {
            double expected = Math.Log(parts.Sum(p => Math.Exp(p.Span[i])) / 7);
            Assert.Equal(expected, chunked[i], 1e-10);
        }
        // more samples give a higher bound on average (Burda et al., Theorem 1): 2,000 vs 1 sample
        var many = VaeEvaluation.LogLikelihoods(vae, x.Span, 2000, key).Average();
        var few = Enumerable.Range(0, 200).Average(s => VaeEvaluation.LogLikelihoods(vae, x.Span, 1, new RandomKey(500 + (ulong)s)).Average());
        Assert.True(many > few);
    }
}

public class VaeActiveUnitsTests
{
    [Fact]
    public void CountsTheUnitsWhoseMeanVariesWithTheImage()
    {
        using var use = new ParamStore().Use();
        var vae = new BurdaVae("v", 1, new RandomStream(3), pixels: 8);
        // the encoder's output layer: rows 0-2 (means of units 0-2) read the last hidden layer, every other row is zero,
        // so units 3…49 have the same posterior mean (0) for every image and unit 0-2's means vary
        var parameters = vae.Modules[0].Parameters().ToDictionary(p => p.Key, p => p.Value);
        var weight = parameters["v.encoder.0.2.weight"].Span;
        var bias = parameters["v.encoder.0.2.bias"].Span;
        bias.Clear();
        for (int row = 3; row < 100; row++)
            if (row < 50 || row >= 50) weight.Slice(row * 200, 200).Clear();
        for (int row = 0; row < 3; row++)
            for (int j = 0; j < 200; j++) weight[row * 200 + j] = 3.0;
        var images = new double[40 * 8];
        Sample.Uniform(new RandomKey(4), images);
        for (int i = 0; i < images.Length; i++) images[i] = images[i] < 0.5 ? 1 : 0;
        Assert.Equal([3], VaeEvaluation.ActiveUnits(vae, images, new RandomKey(5)));
    }
}
