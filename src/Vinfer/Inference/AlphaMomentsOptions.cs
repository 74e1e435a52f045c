using Vinfer.Guides;

namespace Vinfer.Inference;

/// <summary>Settings of <see cref="AlphaMomentsFit.Fit"/> (the monotonic alpha-divergence updates of <see cref="AlphaMoments"/>).</summary>
public sealed record AlphaMomentsOptions
{
    /// <summary>The Gaussian family: <see cref="VariationalFamily.MeanField"/> or <see cref="VariationalFamily.FullRank"/>.</summary>
    public VariationalFamily Family { get; init; } = VariationalFamily.MeanField;

    /// <summary>α ∈ [0, 1) in the convention of <see cref="AlphaMomentsWeights"/> (smaller covers more mass).</summary>
    public double Alpha { get; init; } = 0.5;

    /// <summary>The damping γ ∈ (0, 1] of the mean-parameter update.</summary>
    public double Damping { get; init; } = 0.5;

    /// <summary>Draws from the guide per update (the self-normalized importance sample), at least 2.</summary>
    public int Samples { get; init; } = 256;

    /// <summary>The number of updates (without <see cref="Tolerance"/>) or their limit (with it).</summary>
    public int Steps { get; init; } = 200;

    /// <summary>Stan's relative tolerance on the Rényi bound (evaluated every <see cref="EvalEvery"/> updates); null runs exactly <see cref="Steps"/>.</summary>
    public double? Tolerance { get; init; }

    /// <summary>Updates between convergence evaluations (and between the good states a failed update returns to).</summary>
    public int EvalEvery { get; init; } = 50;

    /// <summary>
    /// Updates run after the main phase whose iterates are averaged in the mean parameters (mean and second moment):
    /// that removes the Monte Carlo jitter a constant damping leaves in the last iterate. 0 keeps the last iterate.
    /// </summary>
    public int AverageSteps { get; init; } = 100;

    /// <summary>The initial standard deviation of every unconstrained coordinate (the mean starts at 0).</summary>
    public double InitScale { get; init; } = 1.0;

    /// <summary>Posterior draws for the summaries and PSIS.</summary>
    public int Draws { get; init; } = 1000;

    /// <summary>The seed: same seed, model and data give a bit-identical fit.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Called after every update; <see cref="SviProgress.Elbo"/> carries the Rényi bound estimate L̂_α before it.</summary>
    public Action<SviProgress>? Progress { get; init; }
}
