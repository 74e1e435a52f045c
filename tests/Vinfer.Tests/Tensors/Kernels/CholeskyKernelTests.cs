using MathNet.Numerics.LinearAlgebra;
using Vinfer.Tensors.Kernels;

namespace Vinfer.Tests.Tensors.Kernels;

public class CholeskyKernelTests
{
    private static Matrix<double> RandomSpd(int n, int seed)
    {
        var random = new System.Random(seed);
        var a = Matrix<double>.Build.Dense(n, n, (_, _) => random.NextDouble() - 0.5);
        return a * a.Transpose() + Matrix<double>.Build.DenseIdentity(n) * 0.1;
    }

    private static Matrix<double> RandomMatrix(int rows, int cols, int seed)
    {
        var random = new System.Random(seed);
        return Matrix<double>.Build.Dense(rows, cols, (_, _) => 2 * random.NextDouble() - 1);
    }

    private static double[] RowMajor(Matrix<double> m) => m.ToRowMajorArray();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(17)]
    public void FactorMatchesMathNet(int n)
    {
        var a = RandomSpd(n, seed: n);
        double[] data = RowMajor(a);
        // Garbage in the upper triangle must be ignored.
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) data[i * n + j] = 1e6;
        Assert.True(Cholesky.TryFactorLower(data, n));
        var expected = a.Cholesky().Factor;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                Assert.Equal(expected[i, j], data[i * n + j], 1e-12);
        Assert.Equal(a.Cholesky().DeterminantLn, Cholesky.LogDeterminant(data, n), 1e-10);
    }

    [Theory]
    [InlineData(TriangularPart.Lower, false)]
    [InlineData(TriangularPart.Lower, true)]
    [InlineData(TriangularPart.Upper, false)]
    [InlineData(TriangularPart.Upper, true)]
    public void TriangularSolvesMatchMathNet(TriangularPart part, bool transpose)
    {
        const int n = 7, m = 3;
        var full = RandomMatrix(n, n, seed: 3) + Matrix<double>.Build.DenseIdentity(n) * 4.0;
        var t = part == TriangularPart.Lower ? full.LowerTriangle() : full.UpperTriangle();
        var op = transpose ? t.Transpose() : t;
        var b = RandomMatrix(n, m, seed: 4);
        var expected = op.Solve(b);
        double[] rhs = RowMajor(b);
        Cholesky.SolveTriangular(RowMajor(full), n, rhs, m, part, transpose); // the other triangle must be ignored
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
                Assert.Equal(expected[i, j], rhs[i * m + j], 1e-11);
    }

    [Fact]
    public void SolveAndMahalanobisMatchMathNet()
    {
        const int n = 6, m = 4;
        var a = RandomSpd(n, seed: 9);
        double[] factor = RowMajor(a);
        Cholesky.FactorLower(factor, n);
        var b = RandomMatrix(n, m, seed: 10);
        double[] rhs = RowMajor(b);
        Cholesky.Solve(factor, n, rhs, m);
        var expected = a.Cholesky().Solve(b);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
                Assert.Equal(expected[i, j], rhs[i * m + j], 1e-10);

        var v = b.Column(0);
        double quad = Cholesky.MahalanobisSquared(factor, n, v.ToArray(), new double[n]);
        Assert.Equal(v.DotProduct(a.Cholesky().Solve(v)), quad, 1e-10);
    }

    [Fact]
    public void NonPositiveDefiniteInputIsReported()
    {
        double[] indefinite = [1.0, 2.0, 2.0, 1.0];
        Assert.False(Cholesky.TryFactorLower((double[])indefinite.Clone(), 2));
        var ex = Assert.Throws<ArgumentException>(() => Cholesky.FactorLower(indefinite, 2));
        Assert.Contains("not positive definite", ex.Message);
        Assert.Contains("pivot 1", ex.Message);
        Assert.False(Cholesky.TryFactorLower(new double[] { double.NaN }, 1));
        Assert.Throws<ArgumentException>(() => Cholesky.TryFactorLower(new double[3], 2));
    }
}
