using Vinfer.Modeling;
using Vinfer.Nn;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Tests.Nn;

public class MlpTests
{
    public static TheoryData<string> Activations => new() { "relu", "tanh", "sigmoid", "softplus", "silu", "elu", "leaky_relu" };

    private static Activation Named(string name) => name switch
    {
        "relu" => Activation.Relu, "tanh" => Activation.Tanh, "sigmoid" => Activation.Sigmoid, "softplus" => Activation.Softplus,
        "silu" => Activation.Silu, "elu" => Activation.Elu(0.7), _ => Activation.LeakyRelu(0.1),
    };

    [Theory, MemberData(nameof(Activations))]
    public void GradientsMatchFiniteDifferences(string activation)
    {
        using (new ParamStore().Use())
        {
            var net = new Mlp("mlp", 3, [5, 4], 2, Named(activation), new RandomStream(21));
            var r = ModuleGradient.Check(net, ModuleGradient.Uniform(8, -2, 2, 2, 3, 3));
            Assert.True(r.Passed, $"{activation}: {r}");
        }
    }

    [Fact]
    public void ValueIsTheCompositionOfItsLayers()
    {
        var net = new Mlp("mlp", 3, [4], 2, Activation.Tanh, new RandomStream(2), outputActivation: Activation.Sigmoid);
        var x = ModuleGradient.Uniform(1, -1, 1, 6, 3);
        using (new ParamStore().Use())
        {
            var expected = net.Layers[1].Forward(net.Layers[0].Forward(x).Tanh()).Sigmoid().ToArray();
            Assert.Equal(expected, net.Forward(x).ToArray());
        }
    }

    [Fact]
    public void ActivationsHaveTheirClosedForms()
    {
        var x = Tensor.FromArray([-2.0, -0.5, 0.0, 0.5, 2.0]);
        double[] xs = x.ToArray();
        Assert.Equal(xs.Select(v => Math.Max(v, 0)), x.Relu().ToArray());
        Assert.Equal(xs.Select(v => v > 0 ? v : 0.1 * v), x.LeakyRelu(0.1).ToArray());
        var elu = x.Elu(1.5).ToArray();
        for (int i = 0; i < xs.Length; i++) Assert.Equal(xs[i] > 0 ? xs[i] : 1.5 * (Math.Exp(xs[i]) - 1), elu[i], 15);
        var silu = x.Silu().ToArray();
        for (int i = 0; i < xs.Length; i++) Assert.Equal(xs[i] / (1 + Math.Exp(-xs[i])), silu[i], 15);
        // ELU near 0 is exact (expm1), and the tails do not overflow
        Assert.Equal(-1e-300, Tensor.FromArray([-1e-300]).Elu().Item());
        Assert.True(Math.Abs(Tensor.FromArray([-1000.0]).Silu().Item()) < 1e-300);
        Assert.Equal(1000.0, Tensor.FromArray([1000.0]).Silu().Item());
        // softplus (vectorized) keeps full relative accuracy in both tails and near 0
        foreach (double v in new[] { -745.0, -40.0, -20.0, -1e-3, 0.0, 1e-10, 0.7, 20.0, 40.0, 800.0 })
        {
            // reference: log1p(e) from its series where e is small (log(1 + e) would lose digits there)
            double e = Math.Exp(-Math.Abs(v));
            double log1p = e < 1e-4 ? e * (1 - e * (0.5 - e / 3)) : Math.Log(1 + e);
            double expected = Math.Max(v, 0) + log1p;
            double actual = Tensor.FromArray([v]).Softplus().Item();
            Assert.True(Math.Abs(actual - expected) <= 4e-16 * Math.Abs(expected), $"softplus({v}) = {actual:R}, expected {expected:R}");
        }
        Assert.True(double.IsNaN(Tensor.FromArray([double.NaN]).Softplus().Item()));
        Assert.Equal(double.PositiveInfinity, Tensor.FromArray([double.PositiveInfinity]).Softplus().Item());
        Assert.Equal(0.0, Tensor.FromArray([double.NegativeInfinity]).Softplus().Item());
    }
}
