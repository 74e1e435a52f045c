using Vinfer.Modeling;
using Vinfer.Nn;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Tests.Nn;

public class LinearTests
{
    [Fact]
    public void ValueMatchesTheSumAndBroadcastsOverLeadingDimensions()
    {
        var layer = new Linear("fc", 3, 2, random: new RandomStream(4));
        var x = ModuleGradient.Uniform(2, -1, 1, 4, 5, 3); // [K, B, D]
        using (new ParamStore().Use())
        {
            var y = layer.Forward(x);
            Assert.Equal([4, 5, 2], y.Shape.ToArray());
            var w = layer.Weight.Value; var b = layer.Bias!.Value;
            for (int k = 0; k < 4; k++)
                for (int n = 0; n < 5; n++)
                    for (int o = 0; o < 2; o++)
                    {
                        double expected = b[o];
                        for (int i = 0; i < 3; i++) expected += x[k, n, i] * w[o, i];
                        Assert.Equal(expected, y[k, n, o], 13);
                    }
        }
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        using (new ParamStore().Use())
        {
            var r = ModuleGradient.Check(new Linear("fc", 4, 3, random: new RandomStream(1)), ModuleGradient.Uniform(3, -1, 1, 2, 3, 4));
            Assert.True(r.Passed, r.ToString());
            var noBias = ModuleGradient.Check(new Linear("fc2", 4, 3, bias: false), ModuleGradient.Uniform(3, -1, 1, 5, 4));
            Assert.True(noBias.Passed, noBias.ToString());
        }
    }

    [Fact]
    public void WeightGradientAccumulatesAcrossBackwardPasses()
    {
        // the weight gradient is added into an existing gradient buffer in place (β = 1): two passes give twice one
        var layer = new Linear("fc", 3, 2, random: new RandomStream(9));
        var x = ModuleGradient.Uniform(5, -1, 1, 4, 3);
        using (new ParamStore().Use())
        {
            var leaf = layer.Parameters().First().Value;
            layer.Forward(x).Sum().Backward();
            var once = leaf.Grad!.ToArray();
            layer.Forward(x).Sum().Backward();
            var twice = leaf.Grad!.ToArray();
            for (int i = 0; i < once.Length; i++) Assert.Equal(2 * once[i], twice[i], 13);
        }
    }
}
