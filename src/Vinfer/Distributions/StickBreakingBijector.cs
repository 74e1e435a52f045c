using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>
/// Stan's stick-breaking transform from ℝ^{K−1} onto the K-simplex (Stan Reference Manual, "Unit simplex"):
/// z_k = logistic(x_k − log(K − k)), y_k = (1 − Σ_{j&lt;k} y_j) z_k for k = 1..K−1, y_K the remainder;
/// log|det| = Σ_k [log z_k + log(1 − z_k) + log(1 − Σ_{j&lt;k} y_j)]. The offset makes x = 0 the simplex's centre.
/// </summary>
public sealed class StickBreakingBijector : Bijector
{
    /// <inheritdoc />
    public override int InputEventDim => 1;

    /// <inheritdoc />
    public override Constraint Codomain => Constraints.Simplex;

    /// <inheritdoc />
    public override int[] ForwardShape(int[] shape) => [.. shape[..^1], shape[^1] + 1];

    /// <inheritdoc />
    public override int[] InverseShape(int[] shape) =>
        shape.Length == 0 || shape[^1] < 1 ? throw new ArgumentException("StickBreakingBijector: a simplex needs at least one entry.") : [.. shape[..^1], shape[^1] - 1];

    /// <inheritdoc />
    public override Tensor Forward(Tensor x)
    {
        int km1 = x.Dim(-1), k = km1 + 1;
        var parts = new Tensor[k];
        Tensor? remaining = null;
        for (int i = 0; i < km1; i++)
        {
            var z = (x.Narrow(-1, i, 1) - Math.Log(k - 1 - i)).Sigmoid();
            parts[i] = remaining is null ? z : remaining * z;
            remaining = remaining is null ? 1.0 - z : remaining - parts[i];
        }
        parts[km1] = remaining ?? Tensor.Ones([.. x.Shape[..^1], 1]);
        return Tensor.Concat(x.Rank - 1, parts);
    }

    /// <inheritdoc />
    public override Tensor Inverse(Tensor y)
    {
        int k = y.Dim(-1);
        var parts = new Tensor[k - 1];
        Tensor? remaining = null;
        for (int i = 0; i < k - 1; i++)
        {
            var yi = y.Narrow(-1, i, 1);
            var rem = remaining ?? Tensor.Ones([.. y.Shape[..^1], 1]);
            var z = yi / rem;
            parts[i] = z.Log() - (1.0 - z).Log() + Math.Log(k - 1 - i);
            remaining = rem - yi;
        }
        return k == 1 ? Tensor.Zeros([.. y.Shape[..^1], 0]) : Tensor.Concat(y.Rank - 1, parts);
    }

    /// <inheritdoc />
    public override Tensor LogAbsDetJacobian(Tensor x, Tensor y)
    {
        int km1 = x.Dim(-1), k = km1 + 1;
        Tensor? total = null;
        Tensor? logRemaining = null;
        for (int i = 0; i < km1; i++)
        {
            var t = x.Narrow(-1, i, 1) - Math.Log(k - 1 - i);
            // log z + log(1 − z) = logσ(t) + logσ(−t)
            var term = t.LogSigmoid() + t.Neg().LogSigmoid();
            if (logRemaining is not null) term = term + logRemaining;
            total = total is null ? term : total + term;
            var logOneMinusZ = t.Neg().LogSigmoid();
            logRemaining = logRemaining is null ? logOneMinusZ : logRemaining + logOneMinusZ;
        }
        return total is null ? Tensor.Zeros(x.Shape[..^1].ToArray()) : total.Sum(-1);
    }
}
