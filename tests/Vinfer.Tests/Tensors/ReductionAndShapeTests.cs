using Vinfer.Autodiff;
using Vinfer.Tensors;
using static Vinfer.Tests.Tensors.TensorTestData;

namespace Vinfer.Tests.Tensors;

public class ReductionAndShapeTests
{
    private static void AssertGrad(Func<Tensor[], Tensor> f, params Tensor[] inputs)
    {
        var r = GradientCheck.Check(f, inputs);
        Assert.True(r.Passed, r.ToString());
    }

    [Theory]
    [InlineData(0, false)] [InlineData(1, false)] [InlineData(2, true)] [InlineData(-1, false)]
    public void AxisReductionGradients(int axis, bool keepDim)
    {
        var x = Uniform(11, -2, 2, 2, 3, 4);
        AssertGrad(t => t[0].Sum(axis, keepDim), x);
        AssertGrad(t => t[0].Mean(axis, keepDim), x);
        AssertGrad(t => t[0].Max(axis, keepDim), x);
        AssertGrad(t => t[0].LogSumExp(axis, keepDim), x);
        AssertGrad(t => t[0].Softmax(axis), x);
        AssertGrad(t => t[0].LogSoftmax(axis), x);
    }

    [Fact]
    public void FullAndMultiAxisReductions()
    {
        var x = Uniform(12, -2, 2, 2, 3, 4);
        AssertGrad(t => t[0].Sum(), x);
        AssertGrad(t => t[0].Mean(), x);
        AssertGrad(t => t[0].Max(), x);
        AssertGrad(t => t[0].LogSumExp(), x);
        AssertGrad(t => t[0].Sum([0, 2]), x);
        AssertGrad(t => t[0].Sum([2, 0], keepDim: true), x);
        Assert.Equal(new[] { 3 }, x.Sum([0, 2]).Shape.ToArray());
    }

    [Fact]
    public void SumValuesMatchLoops()
    {
        var x = Uniform(13, -2, 2, 2, 3, 4);
        var s = x.Sum(1);
        for (int i = 0; i < 2; i++)
            for (int k = 0; k < 4; k++)
                Assert.Equal(x[i, 0, k] + x[i, 1, k] + x[i, 2, k], s[i, k], 14);
    }

    [Fact]
    public void MaxSharesGradientAmongTies()
    {
        var x = Tensor.Parameter([1.0, 3.0, 3.0, 2.0]);
        x.Max().Backward();
        Assert.Equal([0, 0.5, 0.5, 0], x.Grad!.ToArray());
    }

    [Fact]
    public void LogSumExpIsStableAtExtremes()
    {
        var big = Tensor.FromArray([1000.0, 1000.0, 999.0]);
        Assert.Equal(1000 + Math.Log(2 + Math.Exp(-1)), big.LogSumExp().Item(), 12);
        var small = Tensor.FromArray([-1000.0, -1000.0]);
        Assert.Equal(-1000 + Math.Log(2), small.LogSumExp().Item(), 12);
        var allNegInf = Tensor.FromArray([double.NegativeInfinity, double.NegativeInfinity]);
        Assert.Equal(double.NegativeInfinity, allNegInf.LogSumExp().Item());
        var withPosInf = Tensor.FromArray([1.0, double.PositiveInfinity]);
        Assert.Equal(double.PositiveInfinity, withPosInf.LogSumExp().Item());
        // gradient of lse with a −∞ entry: that entry gets 0, not NaN
        var p = Tensor.Parameter([0.0, double.NegativeInfinity, 0.0]);
        p.LogSumExp().Backward();
        Assert.Equal([0.5, 0, 0.5], p.Grad!.ToArray());
        var sm = Tensor.FromArray([1000.0, -1000.0, 0], 1, 3).Softmax(1);
        Assert.Equal(1.0, sm[0, 0], 15);
        Assert.True(sm.ToArray().All(double.IsFinite));
    }

    [Fact]
    public void ShapeOpGradients()
    {
        var x = Uniform(14, -2, 2, 2, 3, 4);
        AssertGrad(t => t[0].Reshape(6, -1) * Uniform(15, -1, 1, 6, 4), x);
        AssertGrad(t => t[0].Permute(2, 0, 1) * Uniform(16, -1, 1, 4, 2, 3), x);
        AssertGrad(t => t[0].Transpose(0, 2), x);
        AssertGrad(t => t[0].Unsqueeze(1).Squeeze(1), x);
        AssertGrad(t => t[0].Sum(0).Expand(5, 3, 4), x);
        AssertGrad(t => t[0].SumToShape([3, 1]), x);
        var m = Uniform(17, -1, 1, 37, 41);
        AssertGrad(t => t[0].MT, m);
    }

    [Fact]
    public void PermuteValues()
    {
        var x = Uniform(18, -2, 2, 2, 3, 4);
        var p = x.Permute(2, 0, 1);
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 4; k++)
                    Assert.Equal(x[i, j, k], p[k, i, j]);
        var m = Uniform(19, -1, 1, 37, 41);
        var mt = m.MT;
        Assert.Equal(m[5, 40], mt[40, 5]);
    }

    [Fact]
    public void BadShapesAndAxesAreNamed()
    {
        var x = Tensor.Zeros(2, 3);
        Assert.Contains("axis 2", Assert.Throws<ArgumentOutOfRangeException>(() => x.Sum(2)).Message);
        Assert.Contains("[2, 3]", Assert.Throws<ArgumentException>(() => x.Reshape(4, 2)).Message);
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => x.Permute(0, 0)).Message);
    }
}
