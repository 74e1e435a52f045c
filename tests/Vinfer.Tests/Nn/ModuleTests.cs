using System.Text.Json.Nodes;
using Vinfer.Modeling;
using Vinfer.Nn;
using Vinfer.Optim;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Tests.Nn;

public class ModuleTests
{
    [Fact]
    public void ParametersLiveInTheStoreUnderHierarchicalNames()
    {
        var store = new ParamStore();
        var net = new Mlp("encoder", 3, [4, 5], 2, Activation.Tanh, new RandomStream(1));
        using (store.Use()) net.Forward(Tensor.Ones(7, 3));
        Assert.Equal(["encoder.0.weight", "encoder.0.bias", "encoder.1.weight", "encoder.1.bias", "encoder.2.weight", "encoder.2.bias"], store.Names);
        Assert.Equal([4, 3], store.GetUnconstrained("encoder.0.weight").Shape.ToArray());
        Assert.Equal([2], store.GetUnconstrained("encoder.2.bias").Shape.ToArray());
        Assert.Equal(4 * 3 + 4 + 5 * 4 + 5 + 2 * 5 + 2, net.ParameterCount);
        // the store's leaves are what Parameters() hands an optimizer
        var leaves = net.Parameters(store).ToList();
        Assert.Equal(store.Names, leaves.Select(p => p.Key));
        Assert.Same(store.GetUnconstrained("encoder.1.weight"), leaves[2].Value);
    }

    [Fact]
    public void ForwardReadsTheStoreSoLoadedValuesTakeEffect()
    {
        var net = new Linear("fc", 2, 1, random: new RandomStream(3));
        var store = new ParamStore();
        var x = Tensor.FromArray([1.0, 2.0], 1, 2);
        using (store.Use())
        {
            net.Forward(x);
            store.GetUnconstrained("fc.weight").Span.Fill(0.5);
            store.GetUnconstrained("fc.bias").Span.Fill(-1);
            Assert.Equal(0.5 * 1 + 0.5 * 2 - 1, net.Forward(x).Item(), 15);
        }
    }

    [Fact]
    public void TrainedParametersRoundTripThroughJson()
    {
        var store = new ParamStore();
        var net = new Mlp("net", 4, [6], 3, Activation.Silu, new RandomStream(7));
        var x = ModuleGradient.Uniform(1, -1, 1, 5, 4);
        var adam = new Adam(0.05);
        using (store.Use())
        {
            for (int step = 0; step < 3; step++)
            {
                net.Forward(x).Square().Mean().Backward();
                adam.Step(net.Parameters());
                net.ZeroGrad();
            }
        }
        double[] expected;
        using (store.Use()) expected = net.Forward(x).ToArray();
        var loaded = ParamStore.FromJson(JsonNode.Parse(store.ToJson().ToJsonString())!);
        Assert.Equal(store.Names, loaded.Names);
        double[] actual;
        using (loaded.Use()) actual = net.Forward(x).ToArray();
        Assert.Equal(expected, actual); // bit-exact
        // and the values moved away from the initial ones (the round trip is not of untouched parameters)
        Assert.NotEqual(net.Layers[0].Weight.InitialValue().ToArray(), loaded.GetUnconstrained("net.0.weight").ToArray());
    }

    [Fact]
    public void InitialValuesAreDeterministic()
    {
        double[] W(Linear l) => l.Weight.InitialValue().ToArray();
        Assert.Equal(W(new Linear("a", 5, 4, random: new RandomStream(11))), W(new Linear("a", 5, 4, random: new RandomStream(11))));
        Assert.NotEqual(W(new Linear("a", 5, 4, random: new RandomStream(11))), W(new Linear("a", 5, 4, random: new RandomStream(12))));
        // without a stream the key comes from the name: stable for one name, different across names
        Assert.Equal(W(new Linear("b", 5, 4)), W(new Linear("b", 5, 4)));
        Assert.NotEqual(W(new Linear("b", 5, 4)), W(new Linear("c", 5, 4)));
        // weight and bias of one layer draw from different keys
        var l = new Linear("d", 1, 3, random: new RandomStream(2));
        Assert.NotEqual(l.Weight.InitialValue().ToArray(), l.Bias!.InitialValue().ToArray());
    }

    [Fact]
    public void TrainAndEvalReachEverySubmodule()
    {
        var net = new Made("made", 3, [4, 4]);
        Assert.True(net.Layers.All(l => l.IsTraining));
        net.Eval();
        Assert.True(!net.IsTraining && net.Layers.All(l => !l.IsTraining));
        net.Train();
        Assert.True(net.IsTraining && net.Layers.All(l => l.IsTraining));
    }

    [Fact]
    public void BadSizesAndInputsGiveClearErrors()
    {
        var e1 = Assert.Throws<ArgumentOutOfRangeException>(() => new Mlp("enc", 784, [200, 0], 10));
        Assert.Contains("Mlp 'enc': hidden size 0 at index 1 must be positive", e1.Message);
        var e2 = Assert.Throws<ArgumentOutOfRangeException>(() => new Made("m", 3, [-4]));
        Assert.Contains("hidden size -4 at index 0", e2.Message);
        var e3 = Assert.Throws<ArgumentOutOfRangeException>(() => new Linear("fc", 0, 3));
        Assert.Contains("Linear 'fc': inputSize must be positive, got 0", e3.Message);
        var net = new Mlp("enc", 784, [200], 10);
        var e4 = Assert.Throws<ArgumentException>(() => net.Forward(Tensor.Zeros(5, 10)));
        Assert.Contains("Mlp 'enc': expected input size 784 in the last dimension, got 10 (shape [5, 10])", e4.Message);
        Assert.Throws<ArgumentException>(() => new Linear("bad name", 1, 1));
        Assert.Throws<ArgumentException>(() => new Linear("a..b", 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout("d", 1.5, new RandomStream(1)));
    }

    [Theory]
    [InlineData("kaiming_uniform")]
    [InlineData("kaiming_normal")]
    [InlineData("xavier_uniform")]
    [InlineData("xavier_normal")]
    [InlineData("pytorch_linear")]
    public void InitializersHaveTheirVariance(string kind)
    {
        const int fanIn = 300, fanOut = 200, n = fanIn * fanOut;
        var (init, variance) = kind switch
        {
            "kaiming_uniform" => (Initializer.KaimingUniform(), 2.0 / fanIn),
            "kaiming_normal" => (Initializer.KaimingNormal(0.1), 2.0 / (1 + 0.01) / fanIn),
            "xavier_uniform" => (Initializer.XavierUniform(), 2.0 / (fanIn + fanOut)),
            "xavier_normal" => (Initializer.XavierNormal(2), 4 * 2.0 / (fanIn + fanOut)),
            _ => (Initializer.KaimingUniform(Math.Sqrt(5)), 1.0 / (3 * fanIn)),
        };
        var v = new double[n];
        init.Fill(new RandomKey(5), v, fanIn, fanOut);
        double mean = v.Average(), m2 = v.Select(x => x * x).Average();
        // standard errors: of the mean √(σ²/n); of the second moment √((E x⁴ − σ⁴)/n), E x⁴ = 3σ⁴ (normal) or 9σ⁴/5 (uniform)
        double kurtosis = kind.Contains("normal", StringComparison.Ordinal) ? 3 : 1.8;
        Assert.True(Math.Abs(mean) < 5 * Math.Sqrt(variance / n), $"{kind}: mean {mean}");
        Assert.True(Math.Abs(m2 - variance) < 5 * variance * Math.Sqrt((kurtosis - 1) / n), $"{kind}: variance {m2} vs {variance}");
        if (kind.Contains("uniform", StringComparison.Ordinal) || kind == "pytorch_linear")
            Assert.True(v.Max(Math.Abs) <= Math.Sqrt(3 * variance) * (1 + 1e-12));
        var zeros = new double[4];
        Initializer.Zeros.Fill(new RandomKey(1), zeros, 2, 2);
        Assert.All(zeros, z => Assert.Equal(0.0, z));
    }
}
