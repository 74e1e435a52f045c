using Vinfer.Tensors;
using Vinfer.Tensors.Kernels;

namespace Vinfer.Tests.Tensors;

public class ScopeAndExtremeValueTests
{
    [Fact]
    public void ScopedTensorsAreReleasedAndKeptOnesSurvive()
    {
        var w = Tensor.Parameter([1.0, 2.0, 3.0]);
        Tensor inner, kept;
        using (var scope = new TensorScope())
        {
            inner = w * 2.0;
            kept = scope.Keep((w * w).Sum());
            kept.Backward();
        }
        Assert.True(inner.IsReleased);
        Assert.Throws<ObjectDisposedException>(() => inner.Span[0]);
        Assert.Equal(14.0, kept.Item());
        Assert.Equal([2.0, 4.0, 6.0], w.Grad!.ToArray()); // leaf gradients are never scoped
    }

    [Fact]
    public void SteadyStateStepsAllocateLittle()
    {
        var w = Tensor.Parameter(new double[1000]);
        var x = Tensor.Full(0.5, 1000);
        void Step()
        {
            using var scope = new TensorScope();
            var loss = ((w - x).Square() * 0.5 + (w * x).Softplus()).Sum();
            loss.Backward();
            w.ZeroGrad();
        }
        for (int i = 0; i < 5; i++) Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) Step();
        long perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
        // the buffers (8 KB each, ~10 per step) come from the pool; what remains is small objects
        Assert.True(perStep < 4096, $"{perStep} bytes per step");
    }

    [Fact]
    public void ExtremeInputsGiveFiniteCorrectValues()
    {
        Assert.Equal(800.0, SpecialFunctions.Softplus(800), 12);
        Assert.Equal(Math.Exp(-800), SpecialFunctions.Softplus(-800), 12);
        Assert.Equal(1.0, SpecialFunctions.Sigmoid(40), 15);
        Assert.Equal(1.0, SpecialFunctions.Sigmoid(-40) / (Math.Exp(-40) / (1 + Math.Exp(-40))), 14);
        Assert.Equal(-800.0, SpecialFunctions.LogSigmoid(-800), 12);
        Assert.Equal(1e-20, SpecialFunctions.Log1p(1e-20));
        Assert.Equal(1e-20, SpecialFunctions.Expm1(1e-20));
        Assert.Equal(-Math.Log(1e-300), SpecialFunctions.LogGamma(1e-300), 9);
        // lgamma near 0: log Γ(x) ≈ −log x − γx
        Assert.Equal(-Math.Log(1e-10) - 0.5772156649015329e-10, SpecialFunctions.LogGamma(1e-10), 9);
        Assert.Equal(0.0, SpecialFunctions.LogGamma(1.0), 14);
        Assert.Equal(0.0, SpecialFunctions.LogGamma(2.0), 14);
        // log Φ far in the lower tail vs the asymptotic series (R: pnorm(-40, log.p = TRUE) = -804.6084420137538)
        Assert.Equal(-804.6084420137538, SpecialFunctions.LogNormalCdf(-40), 9);
        Assert.Equal(Math.Log(MathNet.Numerics.Distributions.Normal.CDF(0, 1, -10)), SpecialFunctions.LogNormalCdf(-10), 10);
        Assert.Equal(1.0, SpecialFunctions.LogNormalCdf(7) / -MathNet.Numerics.Distributions.Normal.CDF(0, 1, -7), 9);
        Assert.Equal(40.0, SpecialFunctions.NormalHazardRatio(-40), 1); // φ/Φ ≈ −x for x → −∞
    }

    [Theory]
    [InlineData(1e-8)] [InlineData(0.1)] [InlineData(1)] [InlineData(3.7)] [InlineData(25)] [InlineData(1e6)]
    public void DigammaAndTrigammaMatchReferences(double x)
    {
        Assert.Equal(MathNet.Numerics.SpecialFunctions.DiGamma(x), SpecialFunctions.Digamma(x), Math.Max(1e-12, 1e-12 * Math.Abs(SpecialFunctions.Digamma(x))));
        // trigamma as the central difference of digamma
        if (x < 1e-3) { Assert.Equal(1 / (x * x) + Math.PI * Math.PI / 6, SpecialFunctions.Trigamma(x), 1e-12 / (x * x)); return; }
        double h = 1e-5 * x;
        double fd = (SpecialFunctions.Digamma(x + h) - SpecialFunctions.Digamma(x - h)) / (2 * h);
        Assert.Equal(fd, SpecialFunctions.Trigamma(x), Math.Abs(fd) * 1e-6);
    }
}
