using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>
/// ℝ^{n(n−1)/2} onto Cholesky factors of correlation matrices (Stan Reference Manual, "Cholesky factors of
/// correlation matrices"; Lewandowski, Kurowicka and Joe 2009): r = tanh(x) are canonical partial correlations
/// filling the strict lower triangle row by row; row i is L[i, j] = r_ij·√s_ij (j &lt; i), L[i, i] = √s_ii with
/// s_ij = Π_{k&lt;j}(1 − r_ik²), so each row has unit norm. log|det J| = Σ log(1 − r²) + ½ Σ_{j&lt;i} log s_ij.
/// </summary>
public sealed class CorrCholeskyBijector : Bijector
{
    /// <inheritdoc />
    public override int InputEventDim => 1;

    /// <inheritdoc />
    public override int OutputEventDim => 2;

    private static (int N, int[] Strict, Tensor LowerMask, Tensor Identity) Layout(int m)
    {
        int n = LastAxisLinear.TriangleSide(m, diagonal: false, "CorrCholeskyBijector");
        var mask = new double[n * n]; var eye = new double[n * n];
        for (int i = 0; i < n; i++) { eye[i * n + i] = 1; for (int j = 0; j <= i; j++) mask[i * n + j] = 1; }
        return (n, LastAxisLinear.LowerIndices(n, diagonal: false), Tensor.FromArray(mask, n, n), Tensor.FromArray(eye, n, n));
    }

    private static Tensor Matrix(Tensor v, int[] strict, int n) => LastAxisLinear.Scatter(v, strict, n * n).Reshape([.. v.Shape[..^1], n, n]);

    /// <inheritdoc />
    public override Tensor Forward(Tensor x)
    {
        var (n, strict, mask, eye) = Layout(x.Dim(-1));
        var r = Matrix(x.Tanh(), strict, n);
        var logS = LastAxisLinear.CumulativeSum((-r.Square()).Log1p(), exclusive: true);
        return (r + eye) * (0.5 * logS).Exp() * mask;
    }

    /// <inheritdoc />
    public override Tensor Inverse(Tensor y)
    {
        int n = y.Dim(-1);
        var (_, strict, _, _) = Layout(n * (n - 1) / 2);
        var s = 1.0 - LastAxisLinear.CumulativeSum(y.Square(), exclusive: true);
        var r = LastAxisLinear.Gather((y / s.Clamp(min: double.Epsilon).Sqrt()).Reshape([.. y.Shape[..^2], n * n]), strict);
        return 0.5 * (r.Log1p() - (-r).Log1p());
    }

    /// <inheritdoc />
    public override Tensor LogAbsDetJacobian(Tensor x, Tensor y)
    {
        var (n, strict, _, _) = Layout(x.Dim(-1));
        var r = x.Tanh();
        var logOneMinus = (-r.Square()).Log1p();
        var logS = LastAxisLinear.CumulativeSum((-Matrix(r, strict, n).Square()).Log1p(), exclusive: true);
        var logSStrict = LastAxisLinear.Gather(logS.Reshape([.. x.Shape[..^1], n * n]), strict);
        return logOneMinus.Sum(-1) + 0.5 * logSStrict.Sum(-1);
    }

    /// <inheritdoc />
    public override Constraint Codomain => Constraints.CorrCholesky;

    /// <inheritdoc />
    public override int[] ForwardShape(int[] shape)
    {
        int n = LastAxisLinear.TriangleSide(shape[^1], diagonal: false, "CorrCholeskyBijector");
        return [.. shape[..^1], n, n];
    }

    /// <inheritdoc />
    public override int[] InverseShape(int[] shape) => [.. shape[..^2], shape[^1] * (shape[^1] - 1) / 2];
}
