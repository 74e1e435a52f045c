using Vinfer.Distributions;

namespace Vinfer.Modeling;

/// <summary>
/// What a guide needs to know about one latent site of a model, read from a trace of it: the value's shape (without
/// particles), how many of its rightmost dimensions are event dimensions, its support, the plates it sits in and the
/// shape of its unconstrained image. Enough to build and run a guide without the model.
/// </summary>
public sealed record LatentSite(
    string Name,
    int[] Shape,
    int EventDim,
    Constraint Support,
    IReadOnlyList<PlateFrame> Frames,
    int[] UnconstrainedShape)
{
    /// <summary>Number of scalar entries of the value.</summary>
    public int Count => Tensors.Kernels.Shapes.Count(Shape);

    /// <summary>Number of scalar entries of the unconstrained image.</summary>
    public int UnconstrainedCount => Tensors.Kernels.Shapes.Count(UnconstrainedShape);

    /// <summary>Number of batch (plate) dimensions of the value: its rank minus the event dimensions.</summary>
    public int BatchRank => Shape.Length - EventDim;

    /// <summary>True when the support is the whole real line (no bijector is needed).</summary>
    public bool IsUnconstrained => ConstraintCodec.Elementwise(Support) is RealConstraint;

    private Lazy<Bijector?>? _bijector;

    /// <summary>The bijector from the unconstrained space onto the support, or null on the real line (made once).</summary>
    public Bijector? Bijector => (_bijector ??= new Lazy<Bijector?>(() => ConstraintCodec.UnconstrainingBijector(Support))).Value;
}
