using Vinfer.Modeling;
using Vinfer.Nn;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Tests.Nn;

public class MadeTests
{
    [Fact]
    public void MasksFollowTheDegreesOfGermainEtAl()
    {
        // D = 3, one hidden layer of 2: hidden degrees 1 + ⌊k·2/2⌋ = 1, 2
        var made = new Made("made", 3, [2]);
        Assert.Equal(new double[,] { { 1, 0, 0 }, { 1, 1, 0 } }, made.Layers[0].Mask);
        Assert.Equal(new double[,] { { 0, 0 }, { 1, 0 }, { 1, 1 } }, made.Layers[1].Mask);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void OutputsAreAutoregressive(bool permuted)
    {
        const int d = 5, p = 2;
        int[] order = permuted ? [3, 0, 4, 1, 2] : [0, 1, 2, 3, 4];
        var made = new Made("made", d, [12, 9], p, Activation.Tanh, order, random: new RandomStream(3));
        var x = ModuleGradient.Uniform(4, -1, 1, d);
        using (new ParamStore().Use())
        {
            var input = Tensor.Parameter(x.Span, d);
            for (int o = 0; o < p * d; o++)
            {
                int output = o;
                var grad = Autograd.Grad(() => made.Forward(input).Narrow(0, output, 1).Sum(), input)[0];
                int target = o % d;
                for (int j = 0; j < d; j++)
                {
                    if (order[j] >= order[target]) Assert.True(grad[j] == 0, $"output {o} depends on input {j} (order {order[j]} ≥ {order[target]}): {grad[j]}");
                    else Assert.True(Math.Abs(grad[j]) > 1e-8, $"output {o} does not depend on earlier input {j}");
                }
            }
        }
    }

    [Fact]
    public void ContextReachesEveryOutputButTheFirstStaysFreeOfInputs()
    {
        var made = new Made("cmade", 3, [6], 2, Activation.Tanh, contextSize: 2, random: new RandomStream(8));
        var x = Tensor.Parameter(ModuleGradient.Uniform(1, -1, 1, 3).Span, 3);
        var c = Tensor.Parameter(ModuleGradient.Uniform(2, -1, 1, 2).Span, 2);
        using (new ParamStore().Use())
        {
            for (int o = 0; o < 6; o++)
            {
                int output = o;
                var g = Autograd.Grad(() => made.Forward(x, c).Narrow(0, output, 1).Sum(), x, c);
                Assert.True(g[1].ToArray().All(v => Math.Abs(v) > 1e-8), $"output {o} ignores the context");
                for (int j = o % 3; j < 3; j++) Assert.Equal(0.0, g[0][j]);
            }
            Assert.Throws<InvalidOperationException>(() => made.Forward(x));
        }
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        using (new ParamStore().Use())
        {
            var made = new Made("made", 4, [6], 3, Activation.Elu(), random: new RandomStream(5));
            var r = ModuleGradient.Check(made, ModuleGradient.Uniform(6, -1, 1, 2, 4));
            Assert.True(r.Passed, r.ToString());
            var parts = made.ForwardParts(ModuleGradient.Uniform(6, -1, 1, 2, 4));
            Assert.Equal(3, parts.Length);
            Assert.All(parts, t => Assert.Equal([2, 4], t.Shape.ToArray()));
        }
    }

    [Fact]
    public void BadOrderIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new Made("m", 3, [4], order: [0, 0, 1]));
        Assert.Contains("not a permutation", e.Message);
    }
}
