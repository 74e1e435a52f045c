using System.Text.Json.Nodes;
using Vinfer.Tensors;
using Vinfer.Random;

namespace Vinfer.Objectives;

/// <summary>
/// A variational objective: turns (model, guide) into a differentiable loss whose gradient in the guide's
/// parameters estimates the gradient of the negative objective. Besides <see cref="Evaluate"/>, an objective gives a
/// no-gradient estimate of its value for convergence monitoring (<see cref="Estimate"/>), and an objective that
/// carries state from one evaluation to the next (a moving-average baseline, a step counter) saves and restores it
/// (<see cref="SaveState"/>, <see cref="LoadState"/>) so that a fit resumed from a checkpoint is bit-identical to
/// one that never stopped. The defaults suit a stateless objective.
/// </summary>
public interface IObjective
{
    /// <summary>Monte Carlo particles per evaluation (drawn in one vectorized pass).</summary>
    int Particles { get; }

    /// <summary>
    /// One stochastic evaluation. <paramref name="maxPlateNesting"/> is the model's plate depth (the particle plate
    /// goes left of it); parameters come from the current <see cref="Modeling.ParamStore"/>.
    /// </summary>
    ObjectiveValue Evaluate(Action model, Action guide, int maxPlateNesting, RandomStream random);

    /// <summary>
    /// The objective's value estimated from about <paramref name="particles"/> particles, without gradients and
    /// without changing the objective's state (what a convergence monitor records). Parameters come from the current
    /// <see cref="Modeling.ParamStore"/>. The default averages the <see cref="ObjectiveValue.Estimate"/> of
    /// ⌈particles / <see cref="Particles"/>⌉ evaluations of <see cref="Evaluate"/> under
    /// <see cref="GradMode.Disable"/> (the same K-particle objective, estimated from more draws); an objective whose
    /// <see cref="Evaluate"/> updates state must override this.
    /// </summary>
    double Estimate(Action model, Action guide, int maxPlateNesting, int particles, RandomStream random)
    {
        if (particles < 1) throw new ArgumentOutOfRangeException(nameof(particles), $"{GetType().Name}.Estimate: particles must be at least 1, got {particles}.");
        using var _ = GradMode.Disable();
        int repeats = (particles + Particles - 1) / Particles;
        double sum = 0;
        for (int r = 0; r < repeats; r++) sum += Evaluate(model, guide, maxPlateNesting, random).Estimate;
        return sum / repeats;
    }

    /// <summary>The state <see cref="Evaluate"/> carries between calls, as JSON (bit-exact); null when there is none.</summary>
    JsonNode? SaveState() => null;

    /// <summary>Replaces the state by one from <see cref="SaveState"/> (null: the state of a fresh objective).</summary>
    void LoadState(JsonNode? state) { }
}
