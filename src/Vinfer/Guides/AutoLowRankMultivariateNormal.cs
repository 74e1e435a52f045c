using System.Text.Json.Nodes;
using Vinfer.Distributions;
using Vinfer.Modeling;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Guides;

/// <summary>
/// A Gaussian over all unconstrained latents with covariance W Wᵀ + diag(d), W of rank r (Pyro's
/// AutoLowRankMultivariateNormal; Ong, Nott and Smith, "Gaussian variational approximation with a factor covariance
/// structure", JCGS 2018): correlations at O(D·r) parameters. Parameters: <c>{prefix}.loc</c>,
/// <c>{prefix}.cov_factor</c> (D×r, small deterministic random start) and <c>{prefix}.cov_diag</c> (positive).
/// </summary>
public sealed class AutoLowRankMultivariateNormal : FlatLatentGuide
{
    /// <summary>A rank-<paramref name="rank"/> guide for <paramref name="model"/>.</summary>
    public AutoLowRankMultivariateNormal(Action model, int rank = 2, double initScale = 0.1, string prefix = "AutoLowRankMultivariateNormal") : base(model, prefix)
    {
        if (rank < 1) throw new ArgumentOutOfRangeException(nameof(rank), $"AutoLowRankMultivariateNormal: rank must be at least 1, got {rank}.");
        if (!(initScale > 0)) throw new ArgumentOutOfRangeException(nameof(initScale), $"AutoLowRankMultivariateNormal: initScale must be positive, got {initScale}.");
        Rank = rank;
        InitScale = initScale;
    }

    internal AutoLowRankMultivariateNormal(IReadOnlyList<LatentSite> latents, int maxPlateNesting, int rank, string prefix)
        : base(latents, maxPlateNesting, prefix) => Rank = rank;

    /// <inheritdoc/>
    public override string Family => "AutoLowRankMultivariateNormal";

    /// <summary>The rank r of the covariance factor.</summary>
    public int Rank { get; }

    /// <summary>The initial standard deviation scale.</summary>
    public double InitScale { get; } = 0.1;

    /// <inheritdoc/>
    protected override void WriteSettings(JsonObject settings) => settings["rank"] = Rank;

    /// <inheritdoc/>
    protected override void CreateParameters() => LatentDistribution();

    /// <inheritdoc/>
    public override Distribution LatentDistribution()
    {
        int d = LatentDimension;
        var loc = Primitives.Param($"{Prefix}.loc", () => Tensor.Zeros(d));
        var factor = Primitives.Param($"{Prefix}.cov_factor", () =>
        {
            var w = Tensor.Zeros(d, Rank);
            Sample.Normal(new RandomKey(StreamTags.LowRankFactorInit), 0, InitScale / Math.Sqrt(Rank), w.Span);
            return w;
        });
        var diag = Primitives.Param($"{Prefix}.cov_diag", () => Tensor.Full(InitScale * InitScale, d), Constraints.Positive);
        return new LowRankMultivariateNormal(loc, factor, diag, validateArgs: false);
    }
}
