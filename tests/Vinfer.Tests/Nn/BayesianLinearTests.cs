using Vinfer.Modeling;
using Vinfer.Nn;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Tests.Nn;

/// <summary><see cref="BayesianLinear"/> and <see cref="BayesianMlp"/>: closed-form KL, the moments of a drawn layer, gradients.</summary>
public class BayesianLinearTests
{
    /// <summary>Sets the layer's four parameters in the current store to seeded values (log-scales in [−1.5, 0]).</summary>
    private static void Randomize(BayesianLinear layer, ParamStore store, int seed)
    {
        var rng = new System.Random(seed);
        foreach (var (p, low, high) in new[] { (layer.WeightLoc, -1.0, 1.0), (layer.WeightLogScale, -1.5, 0.0), (layer.BiasLoc, -1.0, 1.0), (layer.BiasLogScale, -1.5, 0.0) })
        {
            var s = p.Leaf(store).Span;
            for (int i = 0; i < s.Length; i++) s[i] = low + (high - low) * rng.NextDouble();
        }
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.3)]
    public void KullbackLeiblerMatchesTheClosedFormElementByElement(double priorScale)
    {
        var store = new ParamStore();
        using var _ = store.Use();
        var layer = new BayesianLinear("fc", 3, 2, random: new RandomStream(1));
        Randomize(layer, store, 7);
        // KL(N(μ, σ²) ‖ N(0, σ₀²)) = log(σ₀/σ) + (σ² + μ²)/(2σ₀²) − ½, summed over the 6 weights and 2 biases.
        double expected = 0;
        foreach (var (loc, logScale) in new[] { (layer.WeightLoc, layer.WeightLogScale), (layer.BiasLoc, layer.BiasLogScale) })
        {
            var m = loc.Value.Span; var s = logScale.Value.Span;
            for (int i = 0; i < m.Length; i++)
            {
                double sigma = Math.Exp(s[i]);
                expected += Math.Log(priorScale / sigma) + (sigma * sigma + m[i] * m[i]) / (2 * priorScale * priorScale) - 0.5;
            }
        }
        Assert.Equal(expected, layer.KullbackLeiblerToPrior(priorScale).Item(), 12);
    }

    [Fact]
    public void KullbackLeiblerIsZeroWhenQIsThePrior()
    {
        var store = new ParamStore();
        using var _ = store.Use();
        var layer = new BayesianLinear("fc", 4, 3, initialLogScale: Math.Log(0.5));
        layer.WeightLoc.Leaf(store).Span.Clear();
        layer.BiasLoc.Leaf(store).Span.Clear();
        Assert.Equal(0, layer.KullbackLeiblerToPrior(0.5).Item(), 12);
        Assert.True(layer.KullbackLeiblerToPrior(1).Item() > 0);
    }

    [Fact]
    public void DrawnLayerHasTheMeanAndVarianceOfItsWeights()
    {
        // y_o = Σ_i x_i W_oi + b_o with independent Gaussian W, b: E y_o = Σ_i x_i μ_oi + μ_b,
        // Var y_o = Σ_i x_i² σ_oi² + σ_b². 4,000 draws; each mean within 5 standard errors, each variance within 10 %.
        var store = new ParamStore();
        using var _ = store.Use();
        var layer = new BayesianLinear("fc", 3, 2, random: new RandomStream(2));
        Randomize(layer, store, 11);
        var x = Tensor.FromArray([0.5, -1.2, 2.0], 1, 3);
        const int draws = 4000;
        var sums = new double[2]; var squares = new double[2];
        var root = new RandomKey(99);
        for (int t = 0; t < draws; t++)
        {
            var y = layer.Forward(x, root.Child(t));
            for (int o = 0; o < 2; o++) { sums[o] += y[0, o]; squares[o] += y[0, o] * y[0, o]; }
        }
        var mean = layer.Forward(x);
        for (int o = 0; o < 2; o++)
        {
            double variance = Math.Exp(2 * layer.BiasLogScale.Value[o]);
            for (int i = 0; i < 3; i++) variance += x[0, i] * x[0, i] * Math.Exp(2 * layer.WeightLogScale.Value[o, i]);
            double sampleMean = sums[o] / draws, sampleVariance = squares[o] / draws - sampleMean * sampleMean;
            Assert.True(Math.Abs(sampleMean - mean[0, o]) < 5 * Math.Sqrt(variance / draws), $"output {o}: mean {sampleMean} vs {mean[0, o]}");
            Assert.True(Math.Abs(sampleVariance / variance - 1) < 0.1, $"output {o}: variance {sampleVariance} vs {variance}");
        }
    }

    [Fact]
    public void OneDrawIsSharedByEveryRowOfTheInput()
    {
        using var _ = new ParamStore().Use();
        var layer = new BayesianLinear("fc", 2, 3, initialLogScale: 0, random: new RandomStream(3));
        var row = Tensor.FromArray([0.3, -0.7], 1, 2);
        var twice = Tensor.FromArray([0.3, -0.7, 0.3, -0.7], 2, 2);
        var key = new RandomKey(5);
        var y = layer.Forward(twice, key);
        var single = layer.Forward(row, key);
        for (int o = 0; o < 3; o++) { Assert.Equal(single[0, o], y[0, o], 14); Assert.Equal(single[0, o], y[1, o], 14); }
    }

    [Fact]
    public void GradientsOfTheDrawnLayerAndItsDivergenceMatchFiniteDifferences()
    {
        using (new ParamStore().Use())
        {
            var layer = new BayesianLinear("fc", 4, 3, initialLogScale: -0.5, random: new RandomStream(4));
            var key = new RandomKey(8);
            var r = ModuleGradient.Check(layer, ModuleGradient.Uniform(1, -1, 1, 5, 4), x => layer.Forward(x, key).Square().Sum() + layer.KullbackLeiblerToPrior(0.7));
            Assert.True(r.Passed, r.ToString());
        }
        using (new ParamStore().Use())
        {
            var network = new BayesianMlp("net", 3, [4], 2, Activation.Tanh, initialLogScale: -0.5, random: new RandomStream(6));
            var key = new RandomKey(9);
            var r = ModuleGradient.Check(network, ModuleGradient.Uniform(2, -1, 1, 3, 3), x => network.Forward(x, key).Square().Sum() + network.KullbackLeiblerToPrior());
            Assert.True(r.Passed, r.ToString());
        }
    }

    [Fact]
    public void NetworkDivergenceIsTheSumOfItsLayersAndCountsEveryWeight()
    {
        using var _ = new ParamStore().Use();
        var network = new BayesianMlp("net", 64, [256, 256], 784, Activation.LeakyRelu(0.2));
        Assert.Equal(64 * 256 + 256 + 256 * 256 + 256 + 256 * 784 + 784, network.WeightCount);
        double sum = network.Layers.Sum(l => l.KullbackLeiblerToPrior().Item());
        Assert.Equal(sum, network.KullbackLeiblerToPrior().Item(), 6);
    }

    [Fact]
    public void BadSettingsAreRefusedByName()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new BayesianLinear("fc", 0, 2));
        Assert.Contains("inputSize", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BayesianLinear("fc", 2, 2, initialLogScale: double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BayesianMlp("net", 2, [0], 2, Activation.Relu));
        using var _ = new ParamStore().Use();
        var layer = new BayesianLinear("fc", 2, 2);
        Assert.Contains("prior scale", Assert.Throws<ArgumentOutOfRangeException>(() => layer.KullbackLeiblerToPrior(0)).Message);
    }
}
