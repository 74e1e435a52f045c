using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>
/// A distribution with its reparameterized sampler hidden: the same density and draws, but the draws are cut from
/// the graph (<see cref="Distribution.HasRSample"/> is false), so gradients reach the parameters only through the
/// log-density. An objective then treats the site with the score-function (REINFORCE) estimator (Williams 1992;
/// Ranganath et al., "Black box variational inference", AISTATS 2014).
/// </summary>
public sealed class NonReparameterized : Distribution
{
    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public NonReparameterized(Distribution inner) : base((inner ?? throw new ArgumentNullException(nameof(inner))).BatchShape, inner.EventShape, false)
        => Inner = inner;

    /// <summary>The wrapped distribution.</summary>
    public Distribution Inner { get; }

    /// <inheritdoc/>
    public override string Name => $"NonReparameterized({Inner.Name})";

    /// <inheritdoc/>
    public override Constraint Support => Inner.Support;

    /// <inheritdoc/>
    public override Tensor LogProb(Tensor value) => Inner.LogProb(value);

    /// <inheritdoc/>
    public override Tensor Sample(RandomStream rng, params int[] sampleShape) => Inner.Sample(rng, sampleShape);

    /// <inheritdoc/>
    public override Tensor Mean => Inner.Mean;

    /// <inheritdoc/>
    public override Tensor Variance => Inner.Variance;

    /// <inheritdoc/>
    public override Tensor Entropy() => Inner.Entropy();

    /// <inheritdoc/>
    public override Distribution Expand(params int[] batchShape) => new NonReparameterized(Inner.Expand(batchShape));
}
