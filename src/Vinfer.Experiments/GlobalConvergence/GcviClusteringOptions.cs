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

    /// <summary>The smoke-run preset (seconds).</summary>
    public static GcviClusteringOptions Quick => new() { Points = 40, Steps = 20, Replicates = 2, ElboSamples = 10 };

    /// <summary>Throws ArgumentException naming the first bad setting.</summary>
    public void Validate()
    {
        if (Points < 5) throw new ArgumentException($"gcvi-clustering: points must be at least 5, got {Points}.");
        if (Steps < 1) throw new ArgumentException($"gcvi-clustering: steps must be at least 1, got {Steps}.");
        if (Replicates < 1) throw new ArgumentException($"gcvi-clustering: replicates must be at least 1, got {Replicates}.");
        if (ElboSamples < 1) throw new ArgumentException($"gcvi-clustering: ELBO samples must be at least 1, got {ElboSamples}.");
        if (!(LearningRate > 0)) throw new ArgumentException($"gcvi-clustering: the learning rate must be positive, got {LearningRate}.");
    }
}
