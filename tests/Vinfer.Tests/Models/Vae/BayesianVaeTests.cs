using Vinfer.Autodiff;
using Vinfer.Modeling;
using Vinfer.Models.Vae;
using Vinfer.Nn;
using Vinfer.Random;
using Vinfer.Tensors;
using Vinfer.Tests.Nn;

namespace Vinfer.Tests.Models.Vae;

/// <summary>
/// <see cref="BayesianVae"/>'s ELBO against its exact value (a linear decoder makes every expectation closed form), its
/// gradients against finite differences, the shared local factor and the reconstruction error.
/// </summary>
public class BayesianVaeTests
{
    private const int Latent = 2, Pixels = 3, Batch = 2, Total = 5;
    private const double Noise = 0.8, Prior = 1.5;

    private static (BayesianVae Model, Tensor X, Tensor Loc, Tensor LogScale) LinearCase(ParamStore store)
    {
        var decoder = new BayesianMlp("decoder", Latent, [], Pixels, Activation.Identity, random: new RandomStream(3));
        var layer = decoder.Layers[0];
        var rng = new System.Random(17);
        foreach (var (p, low, high) in new[] { (layer.WeightLoc, -1.0, 1.0), (layer.WeightLogScale, -1.2, -0.2), (layer.BiasLoc, -0.5, 0.5), (layer.BiasLogScale, -1.2, -0.2) })
        {
            var s = p.Leaf(store).Span;
            for (int i = 0; i < s.Length; i++) s[i] = low + (high - low) * rng.NextDouble();
        }
        var x = Tensor.FromArray([0.1, 0.9, 0.4, 0.7, 0.2, 0.0], Batch, Pixels);
        var loc = Tensor.FromArray([0.3, -0.6, 1.1, 0.2], Batch, Latent);
        var logScale = Tensor.FromArray([-0.4, -1.0, -0.2, -0.7], Batch, Latent);
        return (new BayesianVae(decoder, Noise, Prior), x, loc, logScale);
    }

    /// <summary>
    /// The exact ELBO of the linear case, from the moments of independent Gaussians: for pixel p of image b,
    /// E(x − Σ_d W_pd z_d − b_p)² = (x − Σ_d μ_pd m_d − μ_b)² + Σ_d [(μ_pd² + σ_pd²)(m_d² + v_d) − μ_pd² m_d²] + σ_b²,
    /// then (N/B)·(E log-likelihood − Σ_b KL(q(z_b) ‖ N(0, I))) − KL(q(θ) ‖ N(0, σ₀²)).
    /// </summary>
    private static double ExactElbo(BayesianVae model, Tensor x, Tensor loc, Tensor logScale)
    {
        var layer = model.Decoder.Layers[0];
        var mu = layer.WeightLoc.Value; var ls = layer.WeightLogScale.Value; var mb = layer.BiasLoc.Value; var lb = layer.BiasLogScale.Value;
        double logLikelihood = 0, localKl = 0, globalKl = 0;
        for (int b = 0; b < Batch; b++)
        {
            for (int p = 0; p < Pixels; p++)
            {
                double mean = mb[p], variance = Math.Exp(2 * lb[p]);
                for (int d = 0; d < Latent; d++)
                {
                    double m = loc[b, d], v = Math.Exp(2 * logScale[b, d]), w = mu[p, d], s2 = Math.Exp(2 * ls[p, d]);
                    mean += w * m;
                    variance += (w * w + s2) * (m * m + v) - w * w * m * m;
                }
                double squared = (x[b, p] - mean) * (x[b, p] - mean) + variance;
                logLikelihood += -squared / (2 * Noise * Noise) - Math.Log(Noise) - 0.5 * Math.Log(2 * Math.PI);
            }
            for (int d = 0; d < Latent; d++)
            {
                double m = loc[b, d], s = logScale[b, d];
                localKl += 0.5 * (Math.Exp(2 * s) + m * m - 1) - s;
            }
        }
        foreach (var (m, s) in new[] { (mu, ls), (mb, lb) })
            for (int i = 0; i < m.Count; i++)
            {
                double mean = m.Span[i], sigma = Math.Exp(s.Span[i]);
                globalKl += Math.Log(Prior / sigma) + (sigma * sigma + mean * mean) / (2 * Prior * Prior) - 0.5;
            }
        return (double)Total / Batch * (logLikelihood - localKl) - globalKl;
    }

    [Theory]
    [InlineData(1, 20_000)]
    [InlineData(4, 5_000)]
    public void ElboEstimateAveragesToTheExactElboOfALinearDecoder(int samples, int draws)
    {
        var store = new ParamStore();
        using var _ = store.Use();
        var (model, x, loc, logScale) = LinearCase(store);
        double exact = ExactElbo(model, x, loc, logScale);
        double sum = 0, squares = 0;
        var root = new RandomKey(2024);
        using (GradMode.Disable())
            for (int t = 0; t < draws; t++)
            {
                double v = model.Elbo(x, loc, logScale, Total, root.Child(t), samples).Item();
                sum += v; squares += v * v;
            }
        double mean = sum / draws, standardError = Math.Sqrt((squares / draws - mean * mean) / draws);
        Assert.True(Math.Abs(mean - exact) < 5 * standardError, $"mean estimate {mean} vs exact {exact} (s.e. {standardError})");
        Assert.True(standardError < 0.05 * Math.Abs(exact), $"the test is too weak: s.e. {standardError} against {exact}");
    }

    [Fact]
    public void OneSharedLocalFactorEqualsTheSameFactorRepeated()
    {
        var store = new ParamStore();
        using var _ = store.Use();
        var (model, x, _, _) = LinearCase(store);
        var shared = Tensor.FromArray([0.4, -0.3], 1, Latent);
        var sharedScale = Tensor.FromArray([-0.5, -0.8], 1, Latent);
        var repeated = Tensor.FromArray([0.4, -0.3, 0.4, -0.3], Batch, Latent);
        var repeatedScale = Tensor.FromArray([-0.5, -0.8, -0.5, -0.8], Batch, Latent);
        var key = new RandomKey(12);
        Assert.Equal(model.Elbo(x, repeated, repeatedScale, Total, key).Item(), model.Elbo(x, shared, sharedScale, Total, key).Item(), 10);
    }

    [Fact]
    public void GradientsMatchFiniteDifferencesInTheDecoderAndTheLocalFactors()
    {
        using var _ = new ParamStore().Use();
        var decoder = new BayesianMlp("decoder", Latent, [4], Pixels, Activation.LeakyRelu(0.2), initialLogScale: -0.7, random: new RandomStream(5));
        var model = new BayesianVae(decoder, Noise, Prior);
        var x = Tensor.FromArray([0.1, 0.9, 0.4, 0.7, 0.2, 0.0], Batch, Pixels);
        var logScale = Tensor.FromArray([-0.4, -1.0, -0.2, -0.7], Batch, Latent);
        var key = new RandomKey(77);
        var decoderAndLoc = ModuleGradient.Check(decoder, Tensor.FromArray([0.3, -0.6, 1.1, 0.2], Batch, Latent), loc => model.Elbo(x, loc, logScale, Total, key));
        Assert.True(decoderAndLoc.Passed, decoderAndLoc.ToString());
        var loc = Tensor.FromArray([0.3, -0.6, 1.1, 0.2], Batch, Latent);
        var scale = GradientCheck.Check(xs => model.Elbo(x, loc, xs[0], Total, key), [logScale]);
        Assert.True(scale.Passed, scale.ToString());
    }

    [Fact]
    public void ReconstructionErrorIsTheMeanSquaredErrorOfTheMeanNetwork()
    {
        var store = new ParamStore();
        using var _ = store.Use();
        var (model, x, loc, _) = LinearCase(store);
        var layer = model.Decoder.Layers[0];
        double sum = 0;
        for (int b = 0; b < Batch; b++)
            for (int p = 0; p < Pixels; p++)
            {
                double f = layer.BiasLoc.Value[p];
                for (int d = 0; d < Latent; d++) f += layer.WeightLoc.Value[p, d] * loc[b, d];
                sum += (f - x[b, p]) * (f - x[b, p]);
            }
        Assert.Equal(sum / (Batch * Pixels), model.ReconstructionError(x, loc), 12);
    }

    [Fact]
    public void BadInputIsRefusedByName()
    {
        var store = new ParamStore();
        using var _ = store.Use();
        var (model, x, loc, logScale) = LinearCase(store);
        Assert.Contains("x", Assert.Throws<ArgumentException>(() => model.Elbo(Tensor.Zeros(2, 4), loc, logScale, Total, new RandomKey(1))).ParamName);
        Assert.Contains("latentLoc", Assert.Throws<ArgumentException>(() => model.Elbo(x, Tensor.Zeros(3, Latent), logScale, Total, new RandomKey(1))).Message);
        Assert.Contains("size", Assert.Throws<ArgumentOutOfRangeException>(() => model.Elbo(x, loc, logScale, 1, new RandomKey(1))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BayesianVae(model.Decoder, 0));
    }
}
