using MathNet.Numerics.LinearAlgebra;
using Vinfer.Tensors;
using static Vinfer.Tests.Tensors.TensorTestData;

namespace Vinfer.Tests.Tensors;

/// <summary>Values (against MathNet's dense LAPACK-style routines), closed-form gradients and bad inputs of the linear-algebra ops.</summary>
public class LinearAlgebraOpTests
{
    private static Matrix<double> ToMatrix(Tensor t, int batch = 0)
    {
        int n = t.Dim(-2), m = t.Dim(-1);
        var s = t.Span.Slice(batch * n * m, n * m);
        var r = Matrix<double>.Build.Dense(n, m);
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) r[i, j] = s[i * m + j];
        return r;
    }

    private static void AssertClose(Matrix<double> expected, Matrix<double> actual, double tol)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.ColumnCount, actual.ColumnCount);
        for (int i = 0; i < expected.RowCount; i++)
            for (int j = 0; j < expected.ColumnCount; j++)
                Assert.True(Math.Abs(expected[i, j] - actual[i, j]) <= tol * Math.Max(1, Math.Abs(expected[i, j])),
                    $"({i}, {j}): expected {expected[i, j]}, got {actual[i, j]}");
    }

    private static Tensor SpdBatch(int seed, int batch, int n)
    {
        using (GradMode.Disable()) return OpGradientRegistry.Spd(Uniform(seed, -1, 1, batch, n, n));
    }

    [Fact]
    public void CholeskySolveAndLogDetMatchMathNet()
    {
        var a = SpdBatch(41, 3, 5);
        var b = Uniform(42, -2, 2, 3, 5, 2);
        var l = a.Cholesky();
        var x = Tensor.CholeskySolve(l, b);
        var logdet = a.LogDet();
        Assert.Equal(new[] { 3 }, logdet.Shape.ToArray());
        for (int k = 0; k < 3; k++)
        {
            var am = ToMatrix(a, k);
            var chol = am.Cholesky();
            AssertClose(chol.Factor, ToMatrix(l, k), 1e-12);
            AssertClose(chol.Solve(ToMatrix(b, k)), ToMatrix(x, k), 1e-10);
            Assert.Equal(Math.Log(am.Determinant()), logdet[k], 10);
            Assert.Equal(logdet[k], l.LogDetFromCholesky()[k], 12);
        }
    }

    [Theory]
    [InlineData(true, false)] [InlineData(true, true)] [InlineData(false, false)] [InlineData(false, true)]
    public void TriangularSolveMatchesDenseSolve(bool lower, bool transpose)
    {
        var t = OpGradientRegistry.Triangular(new System.Random(43), 4, 4);
        var b = Uniform(44, -2, 2, 2, 4, 3); // batch of right-hand sides against one matrix
        var x = Tensor.TriangularSolve(t, b, lower, transpose);
        Assert.Equal(new[] { 2, 4, 3 }, x.Shape.ToArray());
        var tm = ToMatrix(lower ? t.Tril() : t.Triu());
        var op = transpose ? tm.Transpose() : tm;
        for (int k = 0; k < 2; k++) AssertClose(op.Solve(ToMatrix(b, k)), ToMatrix(x, k), 1e-12);
        var v = Tensor.TriangularSolve(t, Tensor.FromArray([1.0, 2, 3, 4]), lower, transpose);
        Assert.Equal(new[] { 4 }, v.Shape.ToArray());
        var expected = op.Solve(Vector<double>.Build.DenseOfArray([1.0, 2, 3, 4]));
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i], v[i], 12);
    }

    [Fact]
    public void LogDetGradientIsTheInverseFoldedOntoTheLowerTriangle()
    {
        // d log det A / dA = A⁻¹ for symmetric perturbations; LogDet reads the lower triangle only, so the gradient is
        // A⁻¹ on the diagonal, 2 A⁻¹ below it and 0 above.
        var a0 = SpdBatch(45, 1, 4).Reshape(4, 4);
        var a = Tensor.Parameter(a0.Span, 4, 4);
        a.LogDet().Backward();
        var inv = ToMatrix(a0).Inverse();
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
                Assert.Equal(i == j ? inv[i, j] : i > j ? 2 * inv[i, j] : 0.0, a.Grad![i, j], 12);
    }

    [Fact]
    public void GaussianLogDensityThroughCholeskyHasTheClosedFormGradient()
    {
        // log N(y | 0, Σ) with Σ = S Sᵀ + nI, differentiated with respect to y: −Σ⁻¹ y
        var sigma = SpdBatch(46, 1, 3).Reshape(3, 3);
        var y = Tensor.Parameter([0.3, -1.2, 0.8]);
        var l = sigma.Cholesky();
        var z = Tensor.TriangularSolve(l, y);
        var logp = z.Square().Sum() * -0.5 - l.LogDetFromCholesky() * 0.5;
        logp.Backward();
        var expected = -(ToMatrix(sigma).Inverse() * Vector<double>.Build.DenseOfArray([0.3, -1.2, 0.8]));
        for (int i = 0; i < 3; i++) Assert.Equal(expected[i], y.Grad![i], 12);
    }

    [Fact]
    public void BadInputsNameOpAndShapes()
    {
        var e1 = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).Cholesky());
        Assert.Contains("Cholesky", e1.Message);
        Assert.Contains("square", e1.Message);
        Assert.Contains("[2, 3]", e1.Message);
        var notPd = Tensor.FromArray([1.0, 2, 2, 1], 2, 2);
        Assert.Contains("not positive definite", Assert.Throws<ArgumentException>(() => notPd.Cholesky()).Message);
        var batch = Tensor.Stack(0, Tensor.Eye(2), notPd);
        var e2 = Assert.Throws<ArgumentException>(() => batch.LogDet());
        Assert.Contains("LogDet", e2.Message);
        Assert.Contains("matrix 1 of the batch", e2.Message);
        var e3 = Assert.Throws<ArgumentException>(() => Tensor.TriangularSolve(Tensor.Eye(3), Tensor.Zeros(2, 4)));
        Assert.Contains("TriangularSolve", e3.Message);
        Assert.Contains("[2, 4]", e3.Message);
        var e4 = Assert.Throws<ArgumentException>(() => Tensor.TriangularSolve(Tensor.Zeros(2, 2), Tensor.Zeros(2, 1)));
        Assert.Contains("singular", e4.Message);
        var e5 = Assert.Throws<ArgumentException>(() => Tensor.TriangularSolve(Tensor.Zeros(2, 3, 3), Tensor.Zeros(4, 3, 1)));
        Assert.Contains("do not broadcast", e5.Message);
        Assert.Contains("Matrix", Assert.Throws<ArgumentException>(() => Tensor.Zeros(3).LogDetFromCholesky()).Message, StringComparison.OrdinalIgnoreCase);
    }
}
