using Vinfer.Tensors;

namespace Vinfer.Tests.Tensors;

/// <summary>
/// Extreme inputs through the tensor ops and their gradients (issue item 6): values and gradients are finite and
/// match closed forms evaluated in a stable way.
/// </summary>
public class TensorExtremeValueTests
{
    [Fact]
    public void LogSoftmaxAndSoftmaxAtPlusMinus1e3()
    {
        double[] v = [1000, -1000, 999, 1000];
        double lse = 1000 + Math.Log(2 + Math.Exp(-1)); // exp(−2000) vanishes
        var x = Tensor.Parameter(v, 1, 4);
        var ls = x.LogSoftmax(1);
        for (int i = 0; i < 4; i++) Assert.Equal(v[i] - lse, ls[0, i], 10);
        var w = Tensor.FromArray([0.5, -1, 2, 0.25], 1, 4);
        (ls * w).Sum().Backward();
        // ∂/∂x_j Σ_i w_i (x_i − lse) = w_j − softmax_j Σ_i w_i
        double sw = 1.75;
        for (int i = 0; i < 4; i++)
        {
            double p = Math.Exp(v[i] - lse);
            Assert.True(double.IsFinite(x.Grad![0, i]));
            Assert.Equal(w[0, i] - p * sw, x.Grad![0, i], 12);
        }
        var sm = Tensor.FromArray([-1000.0, -1000, -1001], 3).Softmax(0);
        double z = 2 + Math.Exp(-1);
        double[] expectedSm = [1 / z, 1 / z, Math.Exp(-1) / z];
        for (int i = 0; i < 3; i++) Assert.Equal(expectedSm[i], sm[i], 13);
        var p2 = Tensor.Parameter([-1000.0, 1000.0]);
        p2.Softmax(0).Sum().Backward(); // Σ softmax ≡ 1, so the gradient is exactly 0
        Assert.All(p2.Grad!.ToArray(), g => Assert.Equal(0.0, g, 14));
    }

    [Fact]
    public void SoftplusAtPlusMinus800()
    {
        var x = Tensor.Parameter([800.0, -800.0]);
        var y = x.Softplus();
        Assert.Equal(800.0, y[0], 12);
        Assert.Equal(0.0, y[1]); // log1p(e^−800): e^−800 underflows to 0
        y.Sum().Backward();
        Assert.Equal(1.0, x.Grad![0]);
        Assert.Equal(0.0, x.Grad![1]);
        var ls = Tensor.Parameter([800.0, -800.0]);
        var lv = ls.LogSigmoid();
        Assert.Equal(0.0, lv[0]);
        Assert.Equal(-800.0, lv[1], 12);
        lv.Sum().Backward();
        Assert.Equal([0.0, 1.0], ls.Grad!.ToArray());
    }

    [Fact]
    public void LogGammaNearZero()
    {
        const double eulerGamma = 0.5772156649015329;
        var x = Tensor.Parameter([1e-10, 1e-5, 1e-300]);
        var y = x.LogGamma();
        Assert.Equal(-Math.Log(1e-10) - eulerGamma * 1e-10, y[0], 9);
        Assert.Equal(-Math.Log(1e-300), y[2], 9);
        // log Γ(x) = −log x − γx + (π²/12) x² + O(x³)
        Assert.Equal(-Math.Log(1e-5) - eulerGamma * 1e-5 + Math.PI * Math.PI / 12 * 1e-10, y[1], 12);
        y.Sum().Backward();
        // ψ(x) = −1/x − γ + (π²/6) x + O(x²)
        Assert.Equal(1.0, x.Grad![0] / (-1e10 - eulerGamma), 14);
        Assert.Equal(1.0, x.Grad![1] / (-1e5 - eulerGamma + Math.PI * Math.PI / 6 * 1e-5), 14);
        Assert.True(double.IsFinite(x.Grad![2]) && x.Grad![2] < -1e299);
    }

    [Fact]
    public void SigmoidAtPlusMinus40()
    {
        var x = Tensor.Parameter([40.0, -40.0]);
        var y = x.Sigmoid();
        double e40 = Math.Exp(-40);
        Assert.Equal(1.0, y[0]);
        Assert.Equal(1.0, y[1] / (e40 / (1 + e40)), 14);
        y.Sum().Backward();
        // σ′(±40) = e^−40 / (1 + e^−40)², to full relative precision on both sides
        double expected = e40 / ((1 + e40) * (1 + e40));
        Assert.Equal(1.0, x.Grad![0] / expected, 14);
        Assert.Equal(1.0, x.Grad![1] / expected, 14);
    }
}
