using System.Globalization;
using Vinfer.Inference;
using Vinfer.Objectives;

namespace Vinfer.Experiments.ObjectiveComparison;

/// <summary>
/// One way of fitting a mean-field Gaussian in <see cref="ObjectivesStudy"/>: stochastic optimization of an objective
/// (<see cref="Objective"/>, a fresh instance per fit) or the monotonic alpha-divergence updates
/// (<see cref="AlphaMoments"/>). Exactly one of the two is set.
/// </summary>
public sealed record ObjectivesStudyMethod
{
    private ObjectivesStudyMethod(string name, string description, Func<IObjective>? objective, AlphaMomentsOptions? alphaMoments)
    {
        Name = name;
        Description = description;
        Objective = objective;
        AlphaMoments = alphaMoments;
    }

    /// <summary>The short name in tables ("elbo", "iwae-16", "vr-0.5", "alpha-moments-0.5").</summary>
    public string Name { get; }

    /// <summary>What the method is, with its estimator and sample sizes.</summary>
    public string Description { get; }

    /// <summary>The objective ADVI minimizes, or null for the alpha-moment updates.</summary>
    public Func<IObjective>? Objective { get; }

    /// <summary>The alpha-moment settings, or null for an objective.</summary>
    public AlphaMomentsOptions? AlphaMoments { get; }

    /// <summary>The ELBO with <paramref name="particles"/> particles and sticking-the-landing gradients (Roeder et al. 2017).</summary>
    public static ObjectivesStudyMethod Elbo(int particles) =>
        new("elbo", Inv($"ELBO, {particles} particles, sticking-the-landing gradient"),
            () => new Elbo(particles, GradientEstimator.StickingTheLanding), null);

    /// <summary>IWAE with K importance samples and one estimate per step, doubly reparameterized gradient (Tucker et al. 2019).</summary>
    public static ObjectivesStudyMethod Iwae(int importanceSamples) =>
        new(Inv($"iwae-{importanceSamples}"), Inv($"IWAE bound, K = {importanceSamples}, one estimate per step, DReG gradient"),
            () => new IwaeBound(importanceSamples, 1, GradientEstimator.DoublyReparameterized), null);

    /// <summary>The variational Rényi bound of order α with K samples, DReG gradient (Li and Turner 2016; Daudel et al. 2023).</summary>
    public static ObjectivesStudyMethod Renyi(double alpha, int importanceSamples) =>
        new(Inv($"vr-{alpha}"), Inv($"Rényi bound, alpha = {alpha}, K = {importanceSamples}, one estimate per step, DReG gradient"),
            () => new RenyiBound(alpha, importanceSamples, 1, GradientEstimator.DoublyReparameterized), null);

    /// <summary>The monotonic alpha-divergence moment updates (Daudel, Douc and Roueff 2023) with these settings.</summary>
    public static ObjectivesStudyMethod AlphaMomentUpdates(AlphaMomentsOptions options) =>
        new(Inv($"alpha-moments-{options.Alpha}"),
            Inv($"monotonic alpha updates, alpha = {options.Alpha}, damping {options.Damping}, {options.Samples} draws per update, {options.Steps} updates then {options.AverageSteps} averaged"),
            null, options);

    /// <summary>Any objective under a given name (used by tests to compare estimators that must agree).</summary>
    public static ObjectivesStudyMethod Custom(string name, string description, Func<IObjective> objective)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(objective);
        return new(name, description, objective, null);
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
