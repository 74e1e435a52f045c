using Vinfer.Modeling;

namespace Vinfer.Guides;

/// <summary>
/// Pyro's <c>AutoIAFNormal</c>: an <see cref="AutoNormalizingFlow"/> of inverse autoregressive flows on MADE
/// (Kingma et al., "Improved Variational Inference with Inverse Autoregressive Flow", NeurIPS 2016) over a diagonal
/// Gaussian base, reversing the coordinates between layers.
/// </summary>
public sealed class AutoIafNormal : AutoNormalizingFlow
{
    /// <summary>An IAF guide for <paramref name="model"/> with <paramref name="layers"/> layers of widths <paramref name="hiddenSizes"/>.</summary>
    public AutoIafNormal(Action model, int layers = 2, IReadOnlyList<int>? hiddenSizes = null, double initScale = 1.0, string prefix = "AutoIafNormal")
        : base(model, FlowKind.Iaf, layers, hiddenSizes, initScale, prefix) { }

    /// <summary>An IAF guide fitted in the whitened coordinates of <paramref name="preconditioner"/> (<see cref="AutoNormalizingFlow.Preconditioner"/>).</summary>
    public AutoIafNormal(Action model, GaussianPreconditioner preconditioner, int layers = 2, IReadOnlyList<int>? hiddenSizes = null, double initScale = 1.0, string prefix = "AutoIafNormal")
        : base(model, preconditioner, FlowKind.Iaf, layers, hiddenSizes, initScale, prefix) { }

    internal AutoIafNormal(IReadOnlyList<LatentSite> latents, int maxPlateNesting, string prefix, int layers, IReadOnlyList<int>? hiddenSizes, GaussianPreconditioner? preconditioner = null)
        : base(latents, maxPlateNesting, prefix, FlowKind.Iaf, layers, hiddenSizes, preconditioner) { }

    /// <inheritdoc/>
    public override string Family => "AutoIafNormal";
}
