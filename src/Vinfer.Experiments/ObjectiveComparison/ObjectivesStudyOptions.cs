using Vinfer.Inference;

namespace Vinfer.Experiments.ObjectiveComparison;

/// <summary>Settings of <see cref="ObjectivesStudy"/>.</summary>
public sealed record ObjectivesStudyOptions
{
    /// <summary>Posteriors (posteriordb folder names) to fit; null for the whole suite.</summary>
    public IReadOnlyList<string>? Posteriors { get; init; }

    /// <summary>SVI steps per objective fit (Adam, decaying rate, the last half averaged, as in <see cref="Posteriordb.PosteriordbAccuracy"/>).</summary>
    public int Steps { get; init; } = 10_000;

    /// <summary>Draws per SVI step: the ELBO's particles and the importance samples K of IWAE and VR (one estimate of K per step).</summary>
    public int ImportanceSamples { get; init; } = 16;

    /// <summary>α of the Rényi bound and of the alpha-moment updates.</summary>
    public double Alpha { get; init; } = 0.5;

    /// <summary>Alpha-moment updates before the averaged ones.</summary>
    public int AlphaUpdates { get; init; } = 300;

    /// <summary>Alpha-moment updates averaged at the end.</summary>
    public int AlphaAverageUpdates { get; init; } = 200;

    /// <summary>Alpha-moment draws per update.</summary>
    public int AlphaSamples { get; init; } = 1000;

    /// <summary>Draws from each fitted guide for the summaries, k̂ and the evidence estimates.</summary>
    public int Draws { get; init; } = 10_000;

    /// <summary>The seed of every fit.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>The methods compared; null for the standard four (<see cref="StandardMethods"/>).</summary>
    public IReadOnlyList<ObjectivesStudyMethod>? Methods { get; init; }

    /// <summary>The four methods of issue 9: ELBO, VR(α), IWAE(K) and the alpha-moment updates at α.</summary>
    public IReadOnlyList<ObjectivesStudyMethod> StandardMethods =>
    [
        ObjectivesStudyMethod.Elbo(ImportanceSamples),
        ObjectivesStudyMethod.Renyi(Alpha, ImportanceSamples),
        ObjectivesStudyMethod.Iwae(ImportanceSamples),
        ObjectivesStudyMethod.AlphaMomentUpdates(new AlphaMomentsOptions
            { Alpha = Alpha, Damping = 0.5, Samples = AlphaSamples, Steps = AlphaUpdates, AverageSteps = AlphaAverageUpdates }),
    ];

    /// <summary>
    /// The smoke-run preset (under a minute): four posteriors on which mean-field under-estimates sds (arK, the
    /// non-centred eight schools, mesquite, nes), 1,500 steps, 150 + 100 alpha updates of 500 draws, 2,000 draws.
    /// </summary>
    public static ObjectivesStudyOptions Quick => new()
    {
        Posteriors = ["arK-arK", "eight_schools-eight_schools_noncentered", "mesquite-logmesquite", "nes2000-nes"],
        Steps = 1500,
        AlphaUpdates = 150,
        AlphaAverageUpdates = 100,
        AlphaSamples = 500,
        Draws = 2000,
    };

    /// <summary>Throws ArgumentException naming the first bad setting.</summary>
    public void Validate()
    {
        if (Steps < 1) throw new ArgumentException($"objectives: steps must be at least 1, got {Steps}.");
        if (ImportanceSamples < 1) throw new ArgumentException($"objectives: importance samples must be at least 1, got {ImportanceSamples}.");
        if (!(Alpha >= 0 && Alpha < 1)) throw new ArgumentException($"objectives: alpha must be in [0, 1), got {Alpha}.");
        if (AlphaUpdates < 1) throw new ArgumentException($"objectives: alpha updates must be at least 1, got {AlphaUpdates}.");
        if (AlphaAverageUpdates < 0) throw new ArgumentException($"objectives: averaged alpha updates must be 0 or more, got {AlphaAverageUpdates}.");
        if (AlphaSamples < 2) throw new ArgumentException($"objectives: alpha draws per update must be at least 2, got {AlphaSamples}.");
        if (Draws < 100) throw new ArgumentException($"objectives: draws must be at least 100, got {Draws}.");
        if (Methods is { Count: 0 }) throw new ArgumentException("objectives: at least one method is needed.");
        if (Methods is { } m && m.Select(x => x.Name).Distinct().Count() != m.Count)
            throw new ArgumentException($"objectives: method names must differ, got [{string.Join(", ", m.Select(x => x.Name))}].");
    }
}
