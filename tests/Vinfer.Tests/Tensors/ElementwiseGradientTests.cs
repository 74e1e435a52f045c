using Vinfer.Autodiff;
using Vinfer.Tensors;
using static Vinfer.Tests.Tensors.TensorTestData;

namespace Vinfer.Tests.Tensors;

/// <summary>Every elementwise op's vector-Jacobian product against central finite differences, broadcasting included.</summary>
public class ElementwiseGradientTests
{
    private static void AssertGrad(Func<Tensor[], Tensor> f, params Tensor[] inputs)
    {
        var r = GradientCheck.Check(f, inputs);
        Assert.True(r.Passed, r.ToString());
    }

    public static TheoryData<string, int[], int[]> BroadcastShapes => new()
    {
        { "same", new[] { 3, 4 }, new[] { 3, 4 } },
        { "row", new[] { 3, 4 }, new[] { 4 } },
        { "column", new[] { 3, 4 }, new[] { 3, 1 } },
        { "scalar", new[] { 3, 4 }, Array.Empty<int>() },
        { "outer", new[] { 3, 1 }, new[] { 1, 4 } },
        { "rank3", new[] { 2, 1, 4 }, new[] { 3, 1 } },
    };

    [Theory, MemberData(nameof(BroadcastShapes))]
    public void BinaryOpsBroadcast(string name, int[] a, int[] b)
    {
        _ = name;
        var x = Uniform(1, 0.5, 2.0, a);
        var y = Uniform(2, 0.5, 2.0, b);
        AssertGrad(t => t[0] + t[1], x, y);
        AssertGrad(t => t[0] - t[1], x, y);
        AssertGrad(t => t[0] * t[1], x, y);
        AssertGrad(t => t[0] / t[1], x, y);
        AssertGrad(t => t[0].Pow(t[1]), x, y);
        AssertGrad(t => t[1] - t[0], x, y);
        AssertGrad(t => t[0].Maximum(t[1] * 1.1), x, y);
        AssertGrad(t => t[0].Minimum(t[1] * 1.1), x, y);
    }

    [Fact]
    public void BroadcastValuesMatchLoops()
    {
        var x = Uniform(3, -1, 1, 2, 1, 4);
        var y = Uniform(4, -1, 1, 3, 1);
        var z = x * y;
        Assert.Equal(new[] { 2, 3, 4 }, z.Shape.ToArray());
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 4; k++)
                    Assert.Equal(x[i, 0, k] * y[j, 0], z[i, j, k], 15);
    }

    public static TheoryData<string> UnaryNames => new()
    {
        "neg", "exp", "log", "log1p", "expm1", "sqrt", "square", "reciprocal", "abs", "tanh", "sigmoid", "softplus",
        "logsigmoid", "lgamma", "digamma", "erf", "normcdf", "lognormcdf", "pow3", "pow-1.5", "clamp", "affine",
    };

    internal static Tensor ApplyUnary(string name, Tensor x) => name switch
    {
        "neg" => -x,
        "exp" => x.Exp(),
        "log" => x.Log(),
        "log1p" => x.Log1p(),
        "expm1" => x.Expm1(),
        "sqrt" => x.Sqrt(),
        "square" => x.Square(),
        "reciprocal" => x.Reciprocal(),
        "abs" => x.Abs(),
        "tanh" => x.Tanh(),
        "sigmoid" => x.Sigmoid(),
        "softplus" => x.Softplus(),
        "logsigmoid" => x.LogSigmoid(),
        "lgamma" => x.LogGamma(),
        "digamma" => x.Digamma(),
        "erf" => x.Erf(),
        "normcdf" => x.NormalCdf(),
        "lognormcdf" => x.LogNormalCdf(),
        "pow3" => x.Pow(3.0),
        "pow-1.5" => x.Pow(-1.5),
        "clamp" => x.Clamp(0.7, 1.9),
        "affine" => 3.0 - 2.0 * x / 4.0 + 1.0,
        _ => throw new ArgumentException(name),
    };

    [Theory, MemberData(nameof(UnaryNames))]
    public void UnaryOpGradients(string name)
    {
        // inputs in (0.3, 2.5), away from kinks (clamp bounds are hit by some, not on them)
        var x = Uniform(5, 0.3, 2.5, 4, 5);
        AssertGrad(t => ApplyUnary(name, t[0]), x);
        if (name is "neg" or "exp" or "tanh" or "sigmoid" or "softplus" or "logsigmoid" or "erf" or "normcdf" or "lognormcdf" or "abs" or "square" or "affine" or "expm1")
            AssertGrad(t => ApplyUnary(name, t[0]), Uniform(6, -4, -0.2, 3, 3));
    }

    [Fact]
    public void WhereRoutesGradients()
    {
        var c = Tensor.FromArray([1, 0, 1, 0, 0, 1], 2, 3);
        AssertGrad(t => Tensor.Where(c, t[0], t[1]), Uniform(7, -1, 1, 2, 3), Uniform(8, -1, 1, 3));
    }

    [Fact]
    public void SharedSubexpressionsAccumulate()
    {
        // f = x·x + exp(x)·x uses x four times; gradient 2x + exp(x)(1 + x)
        var x = Tensor.Parameter([0.3, -1.2, 2.0]);
        var y = (x * x + x.Exp() * x).Sum();
        y.Backward();
        for (int i = 0; i < 3; i++)
        {
            double v = x[i];
            Assert.Equal(2 * v + Math.Exp(v) * (1 + v), x.Grad![i], 12);
        }
    }

    [Fact]
    public void LeafGradientsAccumulateAcrossBackwardCallsUntilZeroed()
    {
        var x = Tensor.Parameter([1.0, 2.0]);
        (x * 3.0).Sum().Backward();
        (x * 3.0).Sum().Backward();
        Assert.Equal([6.0, 6.0], x.Grad!.ToArray());
        x.ZeroGrad();
        (x * 3.0).Sum().Backward();
        Assert.Equal([3.0, 3.0], x.Grad!.ToArray());
    }

    [Fact]
    public void NoGradScopeRecordsNothing()
    {
        var x = Tensor.Parameter([1.0, 2.0]);
        Tensor y;
        using (GradMode.Disable()) y = (x * x).Sum();
        Assert.False(y.RequiresGrad);
        var ex = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Contains("does not require a gradient", ex.Message);
    }

    [Fact]
    public void DetachCutsTheGraph()
    {
        var x = Tensor.Parameter([1.5]);
        var y = (x * x.Detach()).Sum();
        y.Backward();
        Assert.Equal(1.5, x.Grad![0], 15); // d/dx (x·c) = c
    }

    [Fact]
    public void ShapesThatDoNotBroadcastNameBoth()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(3, 4) + Tensor.Zeros(5));
        Assert.Contains("[3, 4]", ex.Message);
        Assert.Contains("[5]", ex.Message);
    }
}
