using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>
/// y = a + (b − a)·σ(x) onto (a, b); inverse x = logit((y − a)/(b − a)); log|dy/dx| = log(b − a) + log σ(x) + log σ(−x)
/// (Stan Reference Manual, "Lower and upper bounded scalar").
/// </summary>
public sealed class IntervalBijector(double lowerBound, double upperBound) : Bijector
{
    /// <summary>The lower bound a.</summary>
    public double LowerBound { get; } = lowerBound;

    /// <summary>The upper bound b.</summary>
    public double UpperBound { get; } = upperBound;

    /// <inheritdoc />
    public override Tensor Forward(Tensor x) => x.Sigmoid() * (UpperBound - LowerBound) + LowerBound;

    /// <inheritdoc />
    public override Tensor Inverse(Tensor y)
    {
        var u = (y - LowerBound) / (UpperBound - LowerBound);
        return u.Log() - (-u).Log1p();
    }

    /// <inheritdoc />
    public override Tensor LogAbsDetJacobian(Tensor x, Tensor y) => x.LogSigmoid() + (-x).LogSigmoid() + Math.Log(UpperBound - LowerBound);

    /// <inheritdoc />
    public override Constraint Codomain => Constraints.Interval(LowerBound, UpperBound);
}
