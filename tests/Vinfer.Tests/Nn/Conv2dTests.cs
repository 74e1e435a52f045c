using Vinfer.Modeling;
using Vinfer.Nn;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Tests.Nn;

public class Conv2dTests
{
    /// <summary>The textbook six-fold loop.</summary>
    private static double[] Naive(Tensor x, Tensor w, Tensor b, int stride, int padding)
    {
        int n = x.Dim(0), c = x.Dim(1), h = x.Dim(2), wd = x.Dim(3), o = w.Dim(0), k = w.Dim(2);
        int ho = (h + 2 * padding - k) / stride + 1, wo = (wd + 2 * padding - k) / stride + 1;
        var y = new double[n * o * ho * wo];
        for (int i = 0; i < n; i++)
            for (int f = 0; f < o; f++)
                for (int r = 0; r < ho; r++)
                    for (int s = 0; s < wo; s++)
                    {
                        double acc = b[f];
                        for (int ch = 0; ch < c; ch++)
                            for (int u = 0; u < k; u++)
                                for (int v = 0; v < k; v++)
                                {
                                    int yy = r * stride - padding + u, xx = s * stride - padding + v;
                                    if (yy >= 0 && yy < h && xx >= 0 && xx < wd) acc += x[i, ch, yy, xx] * w[f, ch, u, v];
                                }
                        y[((i * o + f) * ho + r) * wo + s] = acc;
                    }
        return y;
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    public void ValueMatchesTheNaiveLoop(int stride, int padding)
    {
        var conv = new Conv2d("conv", 3, 4, 3, stride, padding, random: new RandomStream(1));
        var x = ModuleGradient.Uniform(2, -1, 1, 2, 3, 9, 8);
        using (new ParamStore().Use())
        {
            var y = conv.Forward(x);
            Assert.Equal([2, 4, conv.OutputSize(9), conv.OutputSize(8)], y.Shape.ToArray());
            var expected = Naive(x, conv.Weight.Value, conv.Bias!.Value, stride, padding);
            var actual = y.ToArray();
            for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 12);
        }
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(2, 0)] // the unpadded im2col/col2im (offset table) path
    [InlineData(1, 0)]
    public void GradientsMatchFiniteDifferences(int stride, int padding)
    {
        using (new ParamStore().Use())
        {
            var r = ModuleGradient.Check(new Conv2d("conv", 2, 3, 3, stride, padding, random: new RandomStream(4)), ModuleGradient.Uniform(3, -1, 1, 2, 2, 7, 6));
            Assert.True(r.Passed, r.ToString());
        }
    }

    [Fact]
    public void TheBenchmarkConvNetHasTheExpectedShapes()
    {
        var rng = new RandomStream(1);
        var net = new Sequential("net",
            new Conv2d("net.0", 1, 4, 3, 2, random: rng), Activation.Relu, new Conv2d("net.2", 4, 16, 3, 2, random: rng), Activation.Relu,
            new Conv2d("net.4", 16, 64, 3, 2, random: rng), Activation.Relu, Flatten.Instance, new Linear("net.7", 256, 512, random: rng),
            Activation.LeakyRelu(), new Linear("net.9", 512, 2, random: rng));
        using (new ParamStore().Use())
            Assert.Equal([5, 2], net.Forward(Tensor.Zeros(5, 1, 28, 28)).Shape.ToArray());
        Assert.Equal(5, net.Children.Count);
    }

    [Fact]
    public void BadInputNamesTheLayer()
    {
        var conv = new Conv2d("features.0", 3, 4, 5);
        var e = Assert.Throws<ArgumentException>(() => conv.Forward(Tensor.Zeros(1, 2, 8, 8)));
        Assert.Contains("Conv2d 'features.0': expected input [N, 3, H, W], got shape [1, 2, 8, 8]", e.Message);
        Assert.Throws<ArgumentException>(() => conv.Forward(Tensor.Zeros(1, 3, 4, 4)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2d("c", 1, 1, 3, stride: 0));
    }
}
