using Vinfer.Random;

namespace Vinfer.Objectives;

/// <summary>
/// A variational objective: turns (model, guide) into a differentiable loss whose gradient in the guide's
/// parameters estimates the gradient of the negative objective.
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
}
