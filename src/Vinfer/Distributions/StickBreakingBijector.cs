using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>
/// ℝᴷ⁻¹ onto the K-simplex by stick breaking (Stan Reference Manual, "Unit simplex"; PyTorch's StickBreakingTransform):
/// zᵢ = σ(xᵢ − log(K − 1 − i)), yᵢ = zᵢ Π_{j&lt;i}(1 − zⱼ), y_K = Π(1 − zⱼ). The offset makes x = 0 the simplex centre.
/// log|det J| = Σᵢ [−x̃ᵢ + log σ(x̃ᵢ) + log yᵢ] with x̃ = x − offset, over the first K − 1 coordinates of y.
/// </summary>
public sealed class StickBreakingBijector : Bijector
{
    /// <inheritdoc />
    public override int InputEventDim => 1;

    private static Tensor Offset(int k1)
    {
        var o = new double[k1];
        for (int i = 0; i < k1; i++) o[i] = Math.Log(k1 - i);
        return Tensor.FromArray(o);
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor x)
    {
        int k1 = x.Dim(-1);
        var shifted = x - Offset(k1);
        var logZ = shifted.LogSigmoid();
        var logRest = (-shifted).LogSigmoid();
        // log of the stick left before piece i: exclusive cumulative sum of log(1 − z).
        var logLeft = LastAxisLinear.CumulativeSum(LastAxisLinear.Pad(logRest, 0, 1), exclusive: true);
        // y_i = z_i · left_i for i < K − 1 and y_K = left_K: pad log z with a 0 at the end.
        return (LastAxisLinear.Pad(logZ, 0, 1) + logLeft).Exp();
    }

    /// <inheritdoc />
    public override Tensor Inverse(Tensor y)
    {
        int k1 = y.Dim(-1) - 1;
        var head = LastAxisLinear.Take(y, 0, k1);
        var left = (1.0 - LastAxisLinear.CumulativeSum(head)).Clamp(min: double.Epsilon);
        return head.Log() - left.Log() + Offset(k1);
    }

    /// <inheritdoc />
    public override Tensor LogAbsDetJacobian(Tensor x, Tensor y)
    {
        int k1 = x.Dim(-1);
        var shifted = x - Offset(k1);
        return (-shifted + shifted.LogSigmoid() + LastAxisLinear.Take(y, 0, k1).Log()).Sum(-1);
    }

    /// <inheritdoc />
    public override Constraint Codomain => Constraints.Simplex;

    /// <inheritdoc />
    public override int[] ForwardShape(int[] shape) => [.. shape[..^1], shape[^1] + 1];

    /// <inheritdoc />
    public override int[] InverseShape(int[] shape) => [.. shape[..^1], shape[^1] - 1];
}
