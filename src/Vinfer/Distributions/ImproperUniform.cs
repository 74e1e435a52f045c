using Vinfer.Tensors;
using Vinfer.Random;

using Vinfer.Tensors.Kernels;

namespace Vinfer.Distributions;

/// <summary>
/// A flat (improper, constant) density over a support, as a Stan parameter without a prior statement
/// (Pyro's <c>ImproperUniform</c>): the log-density is 0 on the support. It only serves as a latent site's
/// declaration (support and shape), with the model's density added by <see cref="Modeling.Primitives.Factor"/>.
/// Draws, needed only to give a model a first value, follow Stan's default initialization: uniform on (−2, 2)
/// in the unconstrained coordinates, mapped onto the support (Stan Reference Manual, "Initialization").
/// </summary>
public sealed class ImproperUniform : Distribution
{
    private readonly Constraint _support;

    /// <summary>A flat density on <paramref name="support"/> with the given batch and event shapes.</summary>
    public ImproperUniform(Constraint support, int[] batchShape, int[] eventShape) : base(batchShape, eventShape, false)
    {
        ArgumentNullException.ThrowIfNull(support);
        if (support.IsDiscrete) throw new ArgumentException($"ImproperUniform: the support '{support.Name}' is discrete.", nameof(support));
        _support = support;
    }

    /// <inheritdoc />
    public override Constraint Support => _support;

    /// <inheritdoc />
    public override Tensor LogProb(Tensor value) => Tensor.Zeros(value.Shape[..(value.Rank - EventShape.Length)].ToArray());

    /// <inheritdoc />
    public override Tensor Sample(RandomStream rng, params int[] sampleShape)
    {
        using var _ = GradMode.Disable();
        var shape = ExtendedShape(sampleShape);
        var element = _support;
        while (element is IndependentConstraint ind) element = ind.BaseConstraint;
        var bijector = element is RealConstraint ? null : Bijectors.ToUnconstrained(element);
        var ushape = bijector is null ? shape : bijector.InverseShape(shape);
        var u = new double[Shapes.Count(ushape)];
        Vinfer.Random.Sample.Uniform(rng.NextKey(), -2, 2, u);
        var ut = ushape.Length == 0 ? Tensor.Scalar(u[0]) : Tensor.FromArray(u, ushape);
        return bijector is null ? ut : bijector.Forward(ut);
    }

    /// <inheritdoc />
    public override Distribution Expand(params int[] batchShape)
    {
        CheckExpand(batchShape);
        return new ImproperUniform(_support, (int[])batchShape.Clone(), EventShape);
    }
}
