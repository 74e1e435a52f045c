using Vinfer.Guides;
using Vinfer.Objectives;

namespace Vinfer.Experiments.Targets;

/// <summary>
/// The settings of one <see cref="TargetStudy"/> run (<c>vinfer experiment targets</c>): which targets, and how the
/// flow families are fitted. The defaults are the study's original protocol (every target, ELBO, 8 particles, 20,000
/// draws, each family's default size, Pyro's IAF clamp).
/// </summary>
public sealed record TargetStudySettings
{
    /// <summary>SVI steps of each flow fit.</summary>
    public int Steps { get; init; } = 10_000;

    /// <summary>SVGD steps.</summary>
    public int SvgdSteps { get; init; } = 3000;

    /// <summary>The seed of every fit.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>The targets' names (funnel, banana, gaussian_ring, two_moons); null for all.</summary>
    public IReadOnlyList<string>? Targets { get; init; }

    /// <summary>
    /// Flow fits: the importance-weighted bound (IWAE, Burda et al. 2016) with K = <see cref="Particles"/> and one
    /// estimate per step (<see cref="Estimator"/>), instead of the ELBO. Its scored draws are then the guide's
    /// own (not q_IW-resampled), so its PSIS row is importance sampling with the flow as the proposal.
    /// </summary>
    public bool Iwae { get; init; }

    /// <summary>Flow fits: particles per step (ELBO) or K (IWAE).</summary>
    public int Particles { get; init; } = 8;

    /// <summary>
    /// IWAE fits: the gradient estimator (the plain reparameterized gradient by default; DReG, Tucker et al. 2019, needs a
    /// flow with a differentiable inverse, so not planar).
    /// </summary>
    public GradientEstimator Estimator { get; init; } = GradientEstimator.Reparameterized;

    /// <summary>IWAE fits: independent K-sample estimates averaged per step (a lower-variance gradient at that many times the cost).</summary>
    public int Estimates { get; init; } = 1;

    /// <summary>Flow fits: draws scored (the funnel's xᵢ need about 100,000 for their sds, docs/flows.md).</summary>
    public int Draws { get; init; } = TargetStudy.Draws;

    /// <summary>Flow fits: the number of layers (null: each family's default).</summary>
    public int? FlowLayers { get; init; }

    /// <summary>Flow fits: hidden widths (null: one layer of max(3d + 3, 16)).</summary>
    public IReadOnlyList<int>? Hidden { get; init; }

    /// <summary>The iaf family: the upper clamp of each layer's log-scale (null: Pyro's 3).</summary>
    public double? MaximumLogScale { get; init; }

    /// <summary>Flow fits: the initial degrees of freedom of a Student-t base learned per coordinate (null: a Gaussian base).</summary>
    public double? BaseDegreesOfFreedom { get; init; }

    /// <summary>The label's suffix naming the non-default settings, e.g. " (iwae K=16, clamp 6)"; empty for the defaults.</summary>
    public string Describe(VariationalFamily family)
    {
        var parts = new List<string>();
        if (Iwae) parts.Add((Estimates == 1 ? $"iwae K={Particles}" : $"iwae K={Particles} × {Estimates}") + (Estimator == GradientEstimator.Reparameterized ? "" : $" {EstimatorName(Estimator)}"));
        else if (Particles != 8) parts.Add($"{Particles} particles");
        if (Steps != 10_000) parts.Add($"{Steps} steps");
        if (FlowLayers is { } l) parts.Add($"{l} layers");
        if (Hidden is { } h) parts.Add($"hidden {string.Join(",", h)}");
        if (MaximumLogScale is { } c && family is FlowFamily { Settings.Kind: FlowKind.Iaf }) parts.Add(FormattableString.Invariant($"clamp {c:G4}"));
        if (BaseDegreesOfFreedom is { } df) parts.Add(FormattableString.Invariant($"t base ν₀={df:G4}"));
        return parts.Count == 0 ? "" : $" ({string.Join(", ", parts)})";
    }

    /// <summary>The command-line name of an estimator (reparam, stl, dreg, score).</summary>
    public static string EstimatorName(GradientEstimator estimator) => estimator switch
    {
        GradientEstimator.Reparameterized => "reparam",
        GradientEstimator.StickingTheLanding => "stl",
        GradientEstimator.DoublyReparameterized => "dreg",
        _ => "score",
    };
}
