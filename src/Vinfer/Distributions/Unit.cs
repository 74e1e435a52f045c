using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>
/// A distribution over an empty event whose log-density is a given tensor whatever the value (Pyro's <c>Unit</c>):
/// how <see cref="Modeling.Primitives.Factor"/> adds a raw term to a model's log joint, like Stan's <c>target +=</c>.
/// </summary>
public sealed class Unit : Distribution
{
    /// <summary>A unit distribution whose log-density is <paramref name="logFactor"/> (its shape is the batch shape).</summary>
    public Unit(Tensor logFactor) : base(logFactor.Shape.ToArray(), [], false)
    {
        LogFactor = logFactor;
    }

    /// <summary>The log-density term, batch-shaped.</summary>
    public Tensor LogFactor { get; }

    /// <inheritdoc />
    public override Constraint Support => Constraints.Real;

    /// <inheritdoc />
    public override Tensor LogProb(Tensor value) => LogFactor;

    /// <inheritdoc />
    public override Tensor Sample(RandomStream rng, params int[] sampleShape) => Tensor.Zeros(ExtendedShape(sampleShape));

    /// <inheritdoc />
    public override Distribution Expand(params int[] batchShape)
    {
        CheckExpand(batchShape);
        return Shapes.Equal(batchShape, BatchShape) ? this : new Unit(LogFactor.Expand(batchShape));
    }
}
