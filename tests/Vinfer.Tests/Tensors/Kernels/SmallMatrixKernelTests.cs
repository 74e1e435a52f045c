using MathNet.Numerics.LinearAlgebra;
using Vinfer.Tensors.Kernels;

namespace Vinfer.Tests.Tensors.Kernels;

public class SmallMatrixKernelTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void MultiplyMatchesMathNetForEveryTransposeCombination(bool transposeA, bool transposeB)
    {
        var random = new System.Random(5);
        const int rows = 3, inner = 4, cols = 2;
        var a = Matrix<double>.Build.Dense(transposeA ? inner : rows, transposeA ? rows : inner, (_, _) => random.NextDouble() - 0.5);
        var b = Matrix<double>.Build.Dense(transposeB ? cols : inner, transposeB ? inner : cols, (_, _) => random.NextDouble() - 0.5);
        var expected = (transposeA ? a.Transpose() : a) * (transposeB ? b.Transpose() : b);
        var c = new double[rows * cols];
        SmallMatrix.Multiply(a.ToRowMajorArray(), transposeA, b.ToRowMajorArray(), transposeB, c, rows, inner, cols);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                Assert.Equal(expected[i, j], c[i * cols + j], 1e-14);

        var x = new double[] { 0.3, -1.2, 0.7, 2.0 };
        var m = Matrix<double>.Build.Dense(rows, inner, (_, _) => random.NextDouble());
        var y = new double[rows];
        SmallMatrix.MultiplyVector(m.ToRowMajorArray(), false, x, y, rows, inner);
        var expectedY = m * Vector<double>.Build.Dense(x);
        for (int i = 0; i < rows; i++) Assert.Equal(expectedY[i], y[i], 1e-14);
    }
}
