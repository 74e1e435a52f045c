namespace Vinfer.Experiments.GlobalConvergence;

/// <summary>Settings of <see cref="GcviClusteringStudy"/> (McNamara, Loper and Regier 2024, label switching, Table 1).</summary>
public sealed record GcviClusteringOptions
{
    /// <summary>Points per data set (the paper: 1,000).</summary>
    public int Points { get; init; } = 200;

    /// <summary>Adam steps per fit (the paper: 50,000).</summary>
    public int Steps { get; init; } = 600;

    /// <summary>Replicates per cell (the paper: 100).</summary>
    public int Replicates { get; init; } = 5;

    /// <summary>Reparameterized samples of the ELBO (the paper: 100).</summary>
    public int ElboSamples { get; init; } = 100;

    /// <summary>Adam's initial learning rate, halved at each quarter of the run (the paper: 10⁻³ with a halving schedule).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>The shift of the observed data set (the paper: 100).</summary>
    public double ObservedShift { get; init; } = 100;

    /// <summary>The seed of the observed data set and of the replicates.</summary>
    public ulong Seed { get; init; } = 2024;

    /// <summary>
    /// The natural parameterization's output scale of η₁ (η₁ = scale·o₁). Its mean is −η₁/(2η₂); η₂ = clamp(100·o₂ − 10,
    /// −1000, −0.1) sits at its upper bound −0.1 after the first steps in every run (the clamp's gradient is zero there),
    /// where the mean is 5·scale·o₁: 20 gives the mean-only parameterization's sensitivity (100·o₁).
    /// </summary>
    public double Eta1Scale { get; init; } = 20;

    /// <summary>
    /// Whether the natural parameterization bounds η₂ to [−1000, −0.1] by a smooth map (log(−η₂) = log 0.1 + log 10⁴·σ(4·o₂))
    /// instead of the hard clamp, whose zero gradient outside the interval pins η₂ at −0.1 for good.
    /// </summary>
    public bool SmoothBound { get; init; }

    /// <summary>The cells to fit (<c>elbo-natural</c>, <c>elbo-mean-only</c>, <c>lp-natural</c>, <c>lp-mean-only</c>); null: all four.</summary>
    public IReadOnlyList<string>? Cells { get; init; }

    /// <summary>The four cells of Table 1.</summary>
    public static IReadOnlyList<string> AllCells { get; } = ["elbo-natural", "elbo-mean-only", "lp-natural", "lp-mean-only"];

    /// <summary>The smoke-run preset (seconds).</summary>
    public static GcviClusteringOptions Quick => new() { Points = 40, Steps = 20, Replicates = 2, ElboSamples = 10 };

    /// <summary>Throws ArgumentException naming the first bad setting.</summary>
    public void Validate()
    {
        if (Points < 5) throw new ArgumentException($"gcvi-clustering: points must be at least 5, got {Points}.");
        if (Steps < 1) throw new ArgumentException($"gcvi-clustering: steps must be at least 1, got {Steps}.");
        if (Replicates < 1) throw new ArgumentException($"gcvi-clustering: replicates must be at least 1, got {Replicates}.");
        if (ElboSamples < 1) throw new ArgumentException($"gcvi-clustering: ELBO samples must be at least 1, got {ElboSamples}.");
        if (Cells is not null)
            foreach (string cell in Cells)
                if (!AllCells.Contains(cell)) throw new ArgumentException($"--cells: '{cell}' is not one of {string.Join(", ", AllCells)}.");
        if (!(Eta1Scale > 0 && double.IsFinite(Eta1Scale))) throw new ArgumentException($"--eta1-scale: must be positive, got {Eta1Scale}.");
        if (!(LearningRate > 0)) throw new ArgumentException($"gcvi-clustering: the learning rate must be positive, got {LearningRate}.");
    }
}
