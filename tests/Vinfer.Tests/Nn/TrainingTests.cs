using Vinfer.Modeling;
using Vinfer.Nn;
using Vinfer.Optim;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Tests.Nn;

/// <summary>Small regression problems trained with Adam, whose attainable loss is known.</summary>
public class TrainingTests
{
    [Fact]
    public void LinearLayerReachesTheLeastSquaresLoss()
    {
        // y = X·β + 0.3 + noise; the least-squares loss is the floor Adam must reach
        const int n = 64, d = 3;
        var x = ModuleGradient.Uniform(1, -1, 1, n, d);
        var noise = ModuleGradient.Uniform(2, -0.2, 0.2, n, 1);
        double[] beta = [1.5, -2.0, 0.5];
        var y = Tensor.Zeros(n, 1);
        for (int i = 0; i < n; i++)
        {
            double v = 0.3 + noise[i, 0];
            for (int j = 0; j < d; j++) v += beta[j] * x[i, j];
            y[i, 0] = v;
        }
        double floor = LeastSquaresMeanSquare(x, y);

        var layer = new Linear("reg", d, 1, random: new RandomStream(1));
        var adam = new Adam(0.05);
        double loss = double.NaN;
        using (new ParamStore().Use())
        {
            for (int step = 0; step < 1500; step++)
            {
                using var scope = new TensorScope();
                var l = (layer.Forward(x) - y).Square().Mean();
                loss = l.Item();
                l.Backward();
                adam.Step(layer.Parameters());
                layer.ZeroGrad();
            }
        }
        Assert.True(Math.Abs(loss - floor) < 1e-9 * Math.Max(1, floor), $"loss {loss:R} vs least-squares floor {floor:R}");
    }

    [Fact]
    public void MlpFitsASineCurve()
    {
        // 1-32-32-1 tanh network on sin over [−3, 3]: a fixed seed, 1500 Adam steps, loss below 1e-3 (from ≈ 0.5)
        const int n = 128;
        var x = Tensor.Zeros(n, 1); var y = Tensor.Zeros(n, 1);
        for (int i = 0; i < n; i++) { x[i, 0] = -3 + 6.0 * i / (n - 1); y[i, 0] = Math.Sin(x[i, 0]); }
        var net = new Mlp("sine", 1, [32, 32], 1, Activation.Tanh, new RandomStream(2026));
        var adam = new Adam(0.01);
        double first = double.NaN, loss = double.NaN;
        using (new ParamStore().Use())
        {
            for (int step = 0; step < 1500; step++)
            {
                using var scope = new TensorScope();
                var l = (net.Forward(x) - y).Square().Mean();
                loss = l.Item();
                if (step == 0) first = loss;
                l.Backward();
                adam.Step(net.Parameters());
                net.ZeroGrad();
            }
        }
        Assert.True(first > 0.1, $"initial loss {first}");
        Assert.True(loss < 1e-3, $"final loss {loss}");
    }

    /// <summary>min over (β, c) of mean (y − Xβ − c)², from the normal equations of [X, 1] (Cholesky).</summary>
    private static double LeastSquaresMeanSquare(Tensor x, Tensor y)
    {
        int n = x.Dim(0), d = x.Dim(1);
        var a = Tensor.Concat(1, x, Tensor.Ones(n, 1));
        var ata = a.MT.MatMul(a);
        var aty = a.MT.MatMul(y);
        var coef = Tensor.CholeskySolve(ata.Cholesky(), aty);
        return (a.MatMul(coef) - y).Square().Mean().Item();
    }
}
