using System.Text.Json.Nodes;
using Vinfer.Distributions;
using Vinfer.Modeling;
using Vinfer.Tensors;

namespace Vinfer.Guides;

/// <summary>
/// The full-rank Gaussian family of ADVI (Kucukelbir et al., JMLR 2017, §2.5; Pyro's AutoMultivariateNormal): one
/// multivariate normal over all unconstrained latents with Cholesky factor L = diag(scale)·U, U unit lower
/// triangular. Parameters: <c>{prefix}.loc</c> (0), <c>{prefix}.scale</c> (positive, <see cref="InitScale"/>) and
/// <c>{prefix}.scale_tril</c> (the strictly lower part of U is used; identity at the start). With a
/// <see cref="Preconditioner"/> (m, P) the parameters describe w and the latent vector is m + P w: mean m + P·loc,
/// Cholesky factor P·L (still lower triangular), so the family is the same and only its coordinates change.
/// </summary>
public sealed class AutoMultivariateNormal : FlatLatentGuide
{
    /// <summary>A full-rank guide for <paramref name="model"/>.</summary>
    public AutoMultivariateNormal(Action model, double initScale = 0.1, string prefix = "AutoMultivariateNormal") : base(model, prefix)
    {
        if (!(initScale > 0)) throw new ArgumentOutOfRangeException(nameof(initScale), $"AutoMultivariateNormal: initScale must be positive, got {initScale}.");
        InitScale = initScale;
    }

    /// <summary>
    /// A full-rank guide for <paramref name="model"/> fitted in the coordinates of <paramref name="preconditioner"/>:
    /// with the default initial scale 1 it starts at N(m, P Pᵀ).
    /// </summary>
    public AutoMultivariateNormal(Action model, GaussianPreconditioner preconditioner, double initScale = 1.0, string prefix = "AutoMultivariateNormal")
        : this(model, initScale, prefix)
    {
        Preconditioner = preconditioner ?? throw new ArgumentNullException(nameof(preconditioner));
        preconditioner.CheckDimension(LatentDimension, "AutoMultivariateNormal");
    }

    internal AutoMultivariateNormal(IReadOnlyList<LatentSite> latents, int maxPlateNesting, string prefix, GaussianPreconditioner? preconditioner = null)
        : base(latents, maxPlateNesting, prefix)
    {
        Preconditioner = preconditioner;
        preconditioner?.CheckDimension(LatentDimension, "AutoMultivariateNormal");
    }

    /// <summary>The whitening the parameters live in, or null (the raw unconstrained space).</summary>
    public GaussianPreconditioner? Preconditioner { get; }

    /// <inheritdoc/>
    protected override void WriteSettings(JsonObject settings)
    {
        if (Preconditioner is not null) settings["preconditioner"] = Preconditioner.ToJson();
    }

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
        var tril = ScaleTril();
        if (Preconditioner is { } p)
        {
            var factor = p.FactorTensor();
            loc = p.ShiftTensor() + factor.MatMul(loc);
            tril = factor.MatMul(tril);
        }
        return new MultivariateNormal(loc, scaleTril: tril, validateArgs: false);
    }
}
