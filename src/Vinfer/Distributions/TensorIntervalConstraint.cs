using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>The closed interval [low, high] with elementwise (broadcast) tensor bounds, as the support of <see cref="Uniform"/>.</summary>
public sealed class TensorIntervalConstraint(Tensor low, Tensor high) : Constraint
{
    /// <summary>Lower bounds.</summary>
    public Tensor Low { get; } = low;

    /// <summary>Upper bounds.</summary>
    public Tensor High { get; } = high;

    /// <inheritdoc />
    public override Tensor Check(Tensor value)
    {
        using (GradMode.Disable())
            return value.GreaterOrEqual(Low.Detach()) * High.Detach().GreaterOrEqual(value);
    }

    /// <inheritdoc />
    public override string Name => "in the interval [low, high]";
}
