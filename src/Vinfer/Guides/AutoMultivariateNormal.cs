using Vinfer.Distributions;
using Vinfer.Modeling;
using Vinfer.Tensors;

namespace Vinfer.Guides;

/// <summary>
/// The full-rank Gaussian family of ADVI (Kucukelbir et al., JMLR 2017, §2.5; Pyro's AutoMultivariateNormal): one
/// multivariate normal over all unconstrained latents with Cholesky factor L = diag(scale)·U, U unit lower
/// triangular. Parameters: <c>{prefix}.loc</c> (0), <c>{prefix}.scale</c> (positive, <see cref="InitScale"/>) and
/// <c>{prefix}.scale_tril</c> (the strictly lower part of U is used; identity at the start).
/// </summary>
public sealed class AutoMultivariateNormal : FlatLatentGuide
{
    /// <summary>A full-rank guide for <paramref name="model"/>.</summary>
    public AutoMultivariateNormal(Action model, double initScale = 0.1, string prefix = "AutoMultivariateNormal") : base(model, prefix)
    {
        if (!(initScale > 0)) throw new ArgumentOutOfRangeException(nameof(initScale), $"AutoMultivariateNormal: initScale must be positive, got {initScale}.");
        InitScale = initScale;
    }

    internal AutoMultivariateNormal(IReadOnlyList<LatentSite> latents, int maxPlateNesting, string prefix) : base(latents, maxPlateNesting, prefix) { }

    /// <inheritdoc/>
    public override string Family => "AutoMultivariateNormal";

    /// <summary>The initial standard deviation of every coordinate.</summary>
    public double InitScale { get; } = 0.1;

    /// <inheritdoc/>
    protected override void CreateParameters() => LatentDistribution();

    /// <summary>The Cholesky factor L of the covariance (differentiable in the parameters).</summary>
    public Tensor ScaleTril()
    {
        int d = LatentDimension;
        var scale = Primitives.Param($"{Prefix}.scale", () => Tensor.Full(InitScale, d), Constraints.Positive);
        var raw = Primitives.Param($"{Prefix}.scale_tril", () => Tensor.Zeros(d, d));
        return (raw.Tril(-1) + Tensor.Eye(d)) * scale.Unsqueeze(-1);
    }

    /// <inheritdoc/>
    public override Distribution LatentDistribution()
    {
        var loc = Primitives.Param($"{Prefix}.loc", () => Tensor.Zeros(LatentDimension));
        return new MultivariateNormal(loc, scaleTril: ScaleTril(), validateArgs: false);
    }
}
