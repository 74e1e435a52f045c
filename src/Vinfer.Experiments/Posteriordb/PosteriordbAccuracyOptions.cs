using Vinfer.Inference;
using Vinfer.Objectives;

namespace Vinfer.Experiments.Posteriordb;

/// <summary>
/// Settings of <see cref="PosteriordbAccuracy"/>. By default each posterior is fitted as <c>vinfer fit</c> fits it
/// (<see cref="VariationalFit"/> through <see cref="FitRestarts"/> or <see cref="FamilyEscalation"/>: Stan's rule with
/// the stationarity check, the averaging phase, the fit's verdict); with <see cref="FixedSteps"/>, or with an
/// <see cref="Objective"/> or <see cref="AlphaMoments"/>, by the study's own fixed-step protocol (exactly
/// <see cref="Steps"/> steps, a decaying Adam step and the average of the last iterates), which the objectives study
/// uses to compare objectives at equal cost.
/// </summary>
public sealed record PosteriordbAccuracyOptions
{
    /// <summary>The fixed-step protocol's particles per step when <see cref="Particles"/> is not given.</summary>
    public const int FixedStepsParticles = 16;

    /// <summary>The fixed-step protocol's initial Adam rate when <see cref="LearningRate"/> is not given.</summary>
    public const double FixedStepsLearningRate = 0.05;

    /// <summary>SVI steps per fit: the step limit of the fit (with <see cref="Tolerance"/>) or the fixed-step count.</summary>
    public int Steps { get; init; } = 10_000;

    /// <summary>
    /// Stan's relative tolerance of the fit (<see cref="FitOptions.Tolerance"/>, default that of <c>vinfer fit</c>);
    /// null runs exactly <see cref="Steps"/> steps. Unused by the fixed-step protocol.
    /// </summary>
    public double? Tolerance { get; init; } = 0.01;

    /// <summary>Particles per step; null: the fit's default (<see cref="FitOptions.Particles"/>), or 16 for the fixed-step protocol.</summary>
    public int? Particles { get; init; }

    /// <summary>Adam's initial learning rate; null: the fit's default, or 0.05 decayed as rate / (1 + 4·step/steps) for the fixed-step protocol.</summary>
    public double? LearningRate { get; init; }

    /// <summary>The fixed-step protocol: the fraction of the steps, at the end, whose iterates are averaged (Polyak–Ruppert).</summary>
    public double AveragedFraction { get; init; } = 0.5;

    /// <summary>Draws from the fitted approximation for the summaries and k̂.</summary>
    public int Draws { get; init; } = 10_000;

    /// <summary>The seed.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Fits from different initializations (<see cref="FitRestarts"/>; not with the fixed-step protocol).</summary>
    public int Restarts { get; init; } = 1;

    /// <summary>Use the fixed-step protocol even for the plain ELBO.</summary>
    public bool FixedSteps { get; init; }

    /// <summary>
    /// When set, each posterior is fitted by the monotonic alpha-divergence updates (<see cref="AlphaMomentsFit"/>, with
    /// these settings; family, draws and seed come from here) instead of ADVI; <see cref="Steps"/>,
    /// <see cref="Particles"/>, <see cref="LearningRate"/> and <see cref="AveragedFraction"/> are then unused.
    /// </summary>
    public AlphaMomentsOptions? AlphaMoments { get; init; }

    /// <summary>
    /// When set, ADVI minimizes this objective (a fresh one per fit, since an objective may carry state) with the
    /// fixed-step protocol instead of the ELBO; <see cref="Particles"/> is then unused.
    /// </summary>
    public Func<IObjective>? Objective { get; init; }

    /// <summary>
    /// Where ADVI's Gaussian families start and in which coordinates they are fitted: Pathfinder's approximation and
    /// its whitening (default, as <c>vinfer fit</c>), or Stan's origin (<see cref="AdviStart"/>).
    /// </summary>
    public AdviStart Initialization { get; init; } = AdviStart.Pathfinder;

    /// <summary>True when the fits go through the study's fixed-step protocol rather than <see cref="VariationalFit"/>.</summary>
    public bool UsesFixedSteps => FixedSteps || Objective is not null || AlphaMoments is not null;

    /// <summary>The method's name in reports.</summary>
    public string Method => AlphaMoments is null ? "advi" : "alpha-moments";

    /// <summary>The smoke-run preset.</summary>
    public static PosteriordbAccuracyOptions Quick => new() { Steps = 600, Particles = 8, Draws = 2000 };

    /// <summary>Throws when a setting is out of range, naming it and its value.</summary>
    public void Validate()
    {
        if (Steps < 1) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "PosteriordbAccuracy: steps must be at least 1.");
        if (Particles is < 1) throw new ArgumentOutOfRangeException(nameof(Particles), Particles, "PosteriordbAccuracy: particles must be at least 1.");
        if (Draws < 100) throw new ArgumentOutOfRangeException(nameof(Draws), Draws, "PosteriordbAccuracy: draws must be at least 100.");
        if (Restarts < 1) throw new ArgumentOutOfRangeException(nameof(Restarts), Restarts, "PosteriordbAccuracy: restarts must be at least 1.");
        if (Restarts > 1 && UsesFixedSteps)
            throw new ArgumentException($"PosteriordbAccuracy: {Restarts} restarts need the fit pipeline; the fixed-step protocol (fixed steps, an objective or alpha-moments) fits once.", nameof(Restarts));
        if (Tolerance is { } t && !(t > 0 && t < 1)) throw new ArgumentOutOfRangeException(nameof(Tolerance), t, "PosteriordbAccuracy: the tolerance must be in (0, 1).");
    }
}
