using Vinfer.Nn;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Tests.Nn;

public class DropoutTests
{
    [Fact]
    public void DropsAboutPAndRescalesTheRest()
    {
        const int n = 20000; const double p = 0.3;
        var dropout = new Dropout("drop", p, new RandomStream(1));
        var x = Tensor.Parameter(Enumerable.Repeat(2.0, n).ToArray(), n);
        var y = dropout.Forward(x);
        var ys = y.ToArray();
        int zeros = ys.Count(v => v == 0);
        Assert.True(Math.Abs(zeros - p * n) < 5 * Math.Sqrt(n * p * (1 - p)), $"{zeros} zeros of {n}");
        Assert.All(ys, v => Assert.True(v == 0 || Math.Abs(v - 2 / (1 - p)) < 1e-12));
        // the gradient is the same mask
        y.Sum().Backward();
        var g = x.Grad!.ToArray();
        for (int i = 0; i < n; i++) Assert.Equal(ys[i] / 2, g[i], 12);
    }

    [Fact]
    public void IsDeterministicFromItsStreamAndIdentityInEval()
    {
        var x = Tensor.Ones(100);
        var a = new Dropout("d", 0.5, new RandomStream(7)).Forward(x).ToArray();
        var b = new Dropout("d", 0.5, new RandomStream(7)).Forward(x).ToArray();
        Assert.Equal(a, b);
        var d = new Dropout("d", 0.5, new RandomStream(7));
        Assert.NotEqual(d.Forward(x).ToArray(), d.Forward(x).ToArray()); // a fresh mask per call
        d.Eval();
        Assert.Same(x, d.Forward(x));
    }
}
