namespace Vinfer.Guides;

/// <summary>Settings a <see cref="VariationalFamily"/> may read when it builds its guide.</summary>
public sealed record FamilyOptions
{
    /// <summary>The rank of low-rank families (<see cref="AutoLowRankMultivariateNormal"/>).</summary>
    public int Rank { get; init; } = 2;

    /// <summary>Flow families: the number of flow layers (null: the family's default).</summary>
    public int? FlowLayers { get; init; }

    /// <summary>Flow families: the conditioner networks' hidden widths (null: one layer of max(3d + 3, 16)).</summary>
    public IReadOnlyList<int>? Hidden { get; init; }

    /// <summary>IAF family: the upper clamp of each layer's log-scale (null: Pyro's 3, <see cref="AutoNormalizingFlow.MaximumLogScale"/>).</summary>
    public double? MaximumLogScale { get; init; }

    /// <summary>Flow families: the initial degrees of freedom of a Student-t base (null: a Gaussian base, <see cref="AutoNormalizingFlow.BaseDegreesOfFreedom"/>).</summary>
    public double? BaseDegreesOfFreedom { get; init; }

    /// <summary>
    /// Gaussian and flow families: a whitening of the unconstrained space (<see cref="GaussianPreconditioner"/>) in which the
    /// guide is fitted, its parameters starting at the identity there; null fits in the raw space from Stan's start.
    /// </summary>
    public GaussianPreconditioner? Preconditioner { get; init; }

    /// <summary>Particle families (SVGD): the number of particles.</summary>
    public int Particles { get; init; } = 100;
}
