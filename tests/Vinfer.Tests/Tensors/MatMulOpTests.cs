using Vinfer.Autodiff;
using Vinfer.Tensors;
using static Vinfer.Tests.Tensors.TensorTestData;

namespace Vinfer.Tests.Tensors;

public class MatMulOpTests
{
    public static TheoryData<int[], int[], int[]> Cases => new()
    {
        { new[] { 4 }, new[] { 4 }, Array.Empty<int>() },
        { new[] { 3, 4 }, new[] { 4 }, new[] { 3 } },
        { new[] { 4 }, new[] { 4, 5 }, new[] { 5 } },
        { new[] { 3, 4 }, new[] { 4, 5 }, new[] { 3, 5 } },
        { new[] { 2, 3, 4 }, new[] { 4, 5 }, new[] { 2, 3, 5 } },
        { new[] { 3, 4 }, new[] { 2, 4, 5 }, new[] { 2, 3, 5 } },
        { new[] { 2, 1, 3, 4 }, new[] { 3, 4, 2 }, new[] { 2, 3, 3, 2 } },
    };

    [Theory, MemberData(nameof(Cases))]
    public void ValuesMatchLoopsAndGradientsMatchFiniteDifferences(int[] aShape, int[] bShape, int[] expected)
    {
        var a = Uniform(21, -1, 1, aShape);
        var b = Uniform(22, -1, 1, bShape);
        var c = a.MatMul(b);
        Assert.Equal(expected, c.Shape.ToArray());
        var r = GradientCheck.Check(t => t[0].MatMul(t[1]), [a, b]);
        Assert.True(r.Passed, r.ToString());
    }

    [Fact]
    public void MatrixProductValues()
    {
        var a = Uniform(23, -1, 1, 5, 7);
        var b = Uniform(24, -1, 1, 7, 3);
        var c = a.MatMul(b);
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 3; j++)
            {
                double s = 0;
                for (int k = 0; k < 7; k++) s += a[i, k] * b[k, j];
                Assert.Equal(s, c[i, j], 13);
            }
    }

    [Fact]
    public void MismatchedInnerDimensionsAreNamed()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(3, 4).MatMul(Tensor.Zeros(5, 2)));
        Assert.Contains("[3, 4]", ex.Message);
        Assert.Contains("4 vs 5", ex.Message);
    }
}
