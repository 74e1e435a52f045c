using Vinfer.Optim;

namespace Vinfer.Inference;

/// <summary>Settings of <see cref="Pathfinder"/> (defaults from Zhang et al. 2022 and Stan's implementation).</summary>
public sealed record PathfinderOptions
{
    /// <summary>Independent paths (multi-path Pathfinder); 1 is single-path Pathfinder.</summary>
    public int Paths { get; init; } = 4;

    /// <summary>Draws per iterate for its Monte Carlo ELBO estimate (the paper's K = 5).</summary>
    public int ElboDraws { get; init; } = 5;

    /// <summary>Draws made from each path's chosen approximation (the paper's M).</summary>
    public int DrawsPerPath { get; init; } = 1000;

    /// <summary>Draws returned: resampled by PSIS weights from all paths' draws (with replacement).</summary>
    public int Draws { get; init; } = 1000;

    /// <summary>Initial points are uniform(−r, r) on every unconstrained coordinate (Stan's init radius 2).</summary>
    public double InitRadius { get; init; } = 2.0;

    /// <summary>Initial points tried per path before it is given up (Stan tries 100).</summary>
    public int InitAttempts { get; init; } = 100;

    /// <summary>The optimizer along each path (history J = 6, strong-Wolfe search; Stan's tolerances).</summary>
    public LbfgsOptions Lbfgs { get; init; } = new() { History = 6, MaxIterations = 1000 };

    /// <summary>The seed.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Fixed initial points (one per path, unconstrained, length D); null draws them.</summary>
    public IReadOnlyList<double[]>? Inits { get; init; }
}
