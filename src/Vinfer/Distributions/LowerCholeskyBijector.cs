using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>
/// ℝ^{n(n+1)/2} onto n×n lower-triangular matrices with a positive diagonal (Stan Reference Manual, "Cholesky
/// factors"): the entries fill the lower triangle row by row and the diagonal ones are exponentiated;
/// log|det J| = the sum of the diagonal entries of x.
/// </summary>
public sealed class LowerCholeskyBijector : Bijector
{
    /// <inheritdoc />
    public override int InputEventDim => 1;

    /// <inheritdoc />
    public override int OutputEventDim => 2;

    private static (int N, int[] Lower, Tensor DiagFlat, Tensor DiagVector) Layout(int m)
    {
        int n = LastAxisLinear.TriangleSide(m, diagonal: true, "LowerCholeskyBijector");
        var lower = LastAxisLinear.LowerIndices(n, diagonal: true);
        var flat = new double[n * n];
        var vec = new double[m];
        for (int k = 0; k < m; k++) if (lower[k] / n == lower[k] % n) { vec[k] = 1; flat[lower[k]] = 1; }
        return (n, lower, Tensor.FromArray(flat), Tensor.FromArray(vec));
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor x)
    {
        var (n, lower, _, diag) = Layout(x.Dim(-1));
        var v = Tensor.Where(diag, x.Exp(), x);
        var flat = LastAxisLinear.Scatter(v, lower, n * n);
        return flat.Reshape([.. x.Shape[..^1], n, n]);
    }

    /// <inheritdoc />
    public override Tensor Inverse(Tensor y)
    {
        int n = y.Dim(-1);
        var (_, lower, _, diag) = Layout(n * (n + 1) / 2);
        var v = LastAxisLinear.Gather(y.Reshape([.. y.Shape[..^2], n * n]), lower);
        return Tensor.Where(diag, v.Log(), v);
    }

    /// <inheritdoc />
    public override Tensor LogAbsDetJacobian(Tensor x, Tensor y) => (x * Layout(x.Dim(-1)).DiagVector).Sum(-1);

    /// <inheritdoc />
    public override Constraint Codomain => Constraints.LowerCholesky;

    /// <inheritdoc />
    public override int[] ForwardShape(int[] shape)
    {
        int n = LastAxisLinear.TriangleSide(shape[^1], diagonal: true, "LowerCholeskyBijector");
        return [.. shape[..^1], n, n];
    }

    /// <inheritdoc />
    public override int[] InverseShape(int[] shape) => [.. shape[..^2], shape[^1] * (shape[^1] + 1) / 2];
}
