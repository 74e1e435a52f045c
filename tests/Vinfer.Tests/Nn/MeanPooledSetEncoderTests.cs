using Vinfer.Nn;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Tests.Nn;

public class MeanPooledSetEncoderTests
{
    private static MeanPooledSetEncoder Build()
    {
        var random = new RandomStream(7);
        var element = new Sequential("set.element", new Linear("set.element.0", 3, 4, random: random), Activation.Tanh);
        var head = new Linear("set.head", 4, 2, random: random);
        return new MeanPooledSetEncoder("set", element, head);
    }

    [Fact]
    public void GradientChecksInTheInputAndEveryParameter()
    {
        var encoder = Build();
        var input = ModuleGradient.Uniform(3, -1.5, 1.5, 2, 5, 3);   // two sets of five elements of three features
        var result = ModuleGradient.Check(encoder, input);
        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public void IsTheHeadOfTheMeanElementFeatureAndIgnoresTheOrderOfTheElements()
    {
        var encoder = Build();
        using var _ = new Vinfer.Modeling.ParamStore().Use();
        var input = ModuleGradient.Uniform(4, -1, 1, 2, 3, 3);
        var output = encoder.Forward(input);
        Assert.Equal([2, 2], output.Shape.ToArray());
        // direct: tanh(W x + b) per element, averaged per set, then the head's affine map
        var inner = (Linear)((Sequential)encoder.Element).Layers[0];
        var outer = (Linear)encoder.Head;
        double[] w = inner.Weight.Value.Span.ToArray(), b = inner.Bias!.Value.Span.ToArray();
        double[] v = outer.Weight.Value.Span.ToArray(), c = outer.Bias!.Value.Span.ToArray();
        var x = input.Span.ToArray();
        for (int s = 0; s < 2; s++)
        {
            var mean = new double[4];
            for (int m = 0; m < 3; m++)
                for (int f = 0; f < 4; f++)
                {
                    double a = b[f];
                    for (int j = 0; j < 3; j++) a += w[f * 3 + j] * x[(s * 3 + m) * 3 + j];
                    mean[f] += Math.Tanh(a) / 3;
                }
            for (int o = 0; o < 2; o++)
            {
                double expected = c[o];
                for (int f = 0; f < 4; f++) expected += v[o * 4 + f] * mean[f];
                Assert.Equal(expected, output.Span[s * 2 + o], 12);
            }
        }
        // permuting the elements of each set leaves the output unchanged
        var permuted = x.ToArray();
        for (int s = 0; s < 2; s++)
            for (int j = 0; j < 3; j++)
            {
                permuted[(s * 3 + 0) * 3 + j] = x[(s * 3 + 2) * 3 + j];
                permuted[(s * 3 + 2) * 3 + j] = x[(s * 3 + 0) * 3 + j];
            }
        var again = encoder.Forward(Tensor.FromArray(permuted, 2, 3, 3));
        for (int i = 0; i < 4; i++) Assert.Equal(output.Span[i], again.Span[i], 12);
    }

    [Fact]
    public void RejectsAnInputWithoutASetAxisNamingItsShape()
    {
        var encoder = Build();
        using var _ = new Vinfer.Modeling.ParamStore().Use();
        var error = Assert.Throws<ArgumentException>(() => encoder.Forward(Tensor.Zeros(3)));
        Assert.Contains("[S, M, …]", error.Message);
        Assert.Contains("[3]", error.Message);
    }
}
