namespace Vinfer.Experiments.ImportanceWeighting;

/// <summary>Settings of <see cref="IwSnrStudy"/>: the grids of both parts and the number of gradient estimates per point.</summary>
public sealed record IwSnrOptions
{
    /// <summary>Part 1 (IWAE vs DReG): the dimension of Rainforth et al.'s example.</summary>
    public int Dimension { get; init; } = 20;

    /// <summary>Part 1: importance samples K.</summary>
    public IReadOnlyList<int> ImportanceSamples { get; init; } = [1, 3, 10, 30, 100, 300, 1000];

    /// <summary>Part 1: gradient estimates per K.</summary>
    public int Copies { get; init; } = 4000;

    /// <summary>The offset of a and b from their optimum in every coordinate (both parts).</summary>
    public double Offset { get; init; } = 0.25;

    /// <summary>Part 2 (VR-IWAE collapse): dimensions d.</summary>
    public IReadOnlyList<int> Dimensions { get; init; } = [2, 10, 100, 1000];

    /// <summary>Part 2: importance samples N.</summary>
    public IReadOnlyList<int> SampleSizes { get; init; } = [1, 10, 100, 1000];

    /// <summary>Part 2: α of the VR-IWAE bound.</summary>
    public IReadOnlyList<double> Alphas { get; init; } = [0.0, 0.2, 0.5];

    /// <summary>Part 2: gradient estimates per (d, N, α).</summary>
    public int DimensionCopies { get; init; } = 500;

    /// <summary>Largest number of doubles per vectorized pass (K × copies × d): bounds the memory.</summary>
    public int MaxElementsPerPass { get; init; } = 2_000_000;

    /// <summary>The seed of the data, perturbations and draws.</summary>
    public ulong Seed { get; init; } = 2018;

    /// <summary>The smoke-run preset (under a minute).</summary>
    public static IwSnrOptions Quick => new()
    {
        ImportanceSamples = [1, 10, 100],
        Copies = 2000,
        Dimensions = [2, 100],
        SampleSizes = [1, 10, 100],
        Alphas = [0.0, 0.5],
        DimensionCopies = 100,
    };

    /// <summary>Throws ArgumentException naming the first bad setting.</summary>
    public void Validate()
    {
        if (Dimension < 1) throw new ArgumentException($"iw-snr: dimension must be at least 1, got {Dimension}.");
        if (ImportanceSamples.Count == 0 || ImportanceSamples.Any(k => k < 1)) throw new ArgumentException($"iw-snr: importance samples must be at least 1, got [{string.Join(", ", ImportanceSamples)}].");
        if (Copies < 2 || DimensionCopies < 2) throw new ArgumentException($"iw-snr: at least 2 gradient estimates per point are needed, got {Copies} and {DimensionCopies}.");
        if (Dimensions.Count == 0 || Dimensions.Any(d => d < 1)) throw new ArgumentException($"iw-snr: dimensions must be at least 1, got [{string.Join(", ", Dimensions)}].");
        if (SampleSizes.Count == 0 || SampleSizes.Any(n => n < 1)) throw new ArgumentException($"iw-snr: sample sizes must be at least 1, got [{string.Join(", ", SampleSizes)}].");
        if (Alphas.Count == 0 || Alphas.Any(a => !(a >= 0 && a < 1))) throw new ArgumentException($"iw-snr: alphas must be in [0, 1), got [{string.Join(", ", Alphas)}].");
    }
}
