using System.Text.Json.Nodes;
using Vinfer.Random;

namespace Vinfer.Inference;

/// <summary>
/// One iterative inference method as <see cref="FitLoop"/> drives it: a step from a random stream, the state to go
/// back to when a step fails, the state to save in a checkpoint, and an estimate of the objective for the convergence
/// monitor. Stochastic-gradient methods (<see cref="Svi"/>), particle methods (SVGD) and non-gradient updates
/// (coordinate-ascent VI, moment updates) implement it and share the loop's recovery, checkpointing and monitoring.
/// An implementation must be deterministic given its state and the streams it is handed: that is what makes runs
/// reproducible for a seed and resumed runs bit-identical.
/// </summary>
public interface IIterativeUpdate
{
    /// <summary>The method's name in messages (for example "SVI").</summary>
    string Name { get; }

    /// <summary>
    /// One update using draws from <paramref name="random"/>; returns the objective's estimate at this step, or NaN
    /// when something was not finite (the loop then restores the last good state and backs off).
    /// </summary>
    double Step(RandomStream random);

    /// <summary>
    /// An in-memory snapshot of everything a step changes (parameters, optimizer moments, objective state), cheap
    /// enough to take every few steps. Opaque to the loop.
    /// </summary>
    object CaptureState();

    /// <summary>
    /// Goes back to a snapshot from <see cref="CaptureState"/>, except the step size, which stays as it is now (the
    /// loop lowers it next with <see cref="BackOff"/>, so repeated recoveries keep lowering it).
    /// </summary>
    void RestoreState(object snapshot);

    /// <summary>Multiplies the step size (learning rate, damping…) by <paramref name="factor"/> (in (0, 1)) after a failed step.</summary>
    void BackOff(double factor);

    /// <summary>The current step size, reported with the run.</summary>
    double StepSize { get; }

    /// <summary>The complete state as JSON, bit-exact, for a checkpoint.</summary>
    JsonNode SaveState();

    /// <summary>Replaces the state by one from <see cref="SaveState"/> (on an update built with the same settings).</summary>
    void LoadState(JsonNode state);

    /// <summary>
    /// The message of the error that ends a run whose step <paramref name="step"/> (1-based) stayed non-finite after
    /// <paramref name="restarts"/> recoveries. The default names the update and its step size.
    /// </summary>
    string DescribeFailure(int step, int restarts) => FormattableString.Invariant(
        $"{Name}: the step was not finite at step {step} and {restarts} restarts with smaller step sizes did not help (step size now {StepSize:G3}); check the model, its data and the initial values.");

    /// <summary>
    /// The objective estimated from about <paramref name="particles"/> draws of <paramref name="random"/> without
    /// changing the state: what the convergence monitor records.
    /// </summary>
    double EstimateObjective(int particles, RandomStream random);
}
