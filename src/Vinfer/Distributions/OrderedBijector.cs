using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>
/// ℝᴷ onto increasing vectors (Stan Reference Manual, "Ordered vector"): y₁ = x₁, yᵢ = yᵢ₋₁ + exp(xᵢ);
/// log|det J| = Σ_{i&gt;1} xᵢ.
/// </summary>
public sealed class OrderedBijector : Bijector
{
    /// <inheritdoc />
    public override int InputEventDim => 1;

    private static Tensor FirstMask(int k)
    {
        var m = new double[k];
        m[0] = 1;
        return Tensor.FromArray(m);
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor x)
    {
        var first = FirstMask(x.Dim(-1));
        return LastAxisLinear.CumulativeSum(Tensor.Where(first, x, x.Exp()));
    }

    /// <inheritdoc />
    public override Tensor Inverse(Tensor y)
    {
        var d = LastAxisLinear.Difference(y);
        return Tensor.Where(FirstMask(y.Dim(-1)), d, d.Log());
    }

    /// <inheritdoc />
    public override Tensor LogAbsDetJacobian(Tensor x, Tensor y) => (x * (1.0 - FirstMask(x.Dim(-1)))).Sum(-1);

    /// <inheritdoc />
    public override Constraint Codomain => Constraints.Ordered;
}
