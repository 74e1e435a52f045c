namespace Vinfer.Inference;

/// <summary>Settings of an <see cref="Svi"/> run, or of any <see cref="FitLoop"/> run (the "ELBO" is then the update's objective).</summary>
public sealed record SviOptions
{
    /// <summary>The step limit (with <see cref="Tolerance"/>) or the exact number of steps (without).</summary>
    public int Steps { get; init; } = 10_000;

    /// <summary>
    /// Stan's relative tolerance (tol_rel_obj): stop when the mean or median relative ELBO change over the window
    /// falls below it. Null runs exactly <see cref="Steps"/> steps.
    /// </summary>
    public double? Tolerance { get; init; }

    /// <summary>
    /// When set, the run also stops once the objective's evaluation changes by less than this absolute amount from the
    /// previous evaluation: scikit-learn's rule for its mixture models (<c>tol</c> on the lower bound), for comparisons
    /// at equal settings. Evaluations happen every <see cref="EvalEvery"/> steps.
    /// </summary>
    public double? AbsoluteTolerance { get; init; }

    /// <summary>
    /// Whether Stan's relative rule must also see a stationary per-step trace (<see cref="Diagnostics.ObjectiveStationarity"/>)
    /// before it stops the run: without it a fit with a huge |ELBO| stops while still far from the optimum.
    /// </summary>
    public bool RequireStationarity { get; init; } = true;

    /// <summary>Steps between ELBO evaluations (Stan's eval_elbo) and between recovery checkpoints.</summary>
    public int EvalEvery { get; init; } = 100;

    /// <summary>Particles of each convergence evaluation of the objective (Stan's elbo_samples; <see cref="Objectives.IObjective.Estimate"/>).</summary>
    public int ElboParticles { get; init; } = 100;

    /// <summary>The seed: same seed, same model and data, bit-identical run.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>
    /// Called with the convergence monitor (when <see cref="Tolerance"/> is set) at the start of a run, after it is
    /// rebuilt from a checkpoint, after each evaluation it records and after a recovery resets it: what a
    /// <see cref="ParticleSchedule"/> reads. Whatever it sets must depend on the monitor only, so that a resumed run
    /// stays bit-identical.
    /// </summary>
    public Action<ConvergenceMonitor>? MonitorUpdated { get; init; }

    /// <summary>Called after every step (cheap; throttle display in the callback).</summary>
    public Action<SviProgress>? Progress { get; init; }

    /// <summary>How many times a non-finite loss or gradient may send the run back to its last good state.</summary>
    public int MaxRecoveries { get; init; } = 8;

    /// <summary>The factor the learning rate is multiplied by at each recovery.</summary>
    public double Backoff { get; init; } = 0.5;

    /// <summary>
    /// Steps between calls of <see cref="Checkpoint"/>; a multiple of <see cref="EvalEvery"/>, because only at an
    /// evaluation is the state the run would fall back to the current one, so a run resumed there is bit-identical to
    /// one that never stopped. Null: no periodic checkpoints.
    /// </summary>
    public int? CheckpointEvery { get; init; }

    /// <summary>Receives the run's state every <see cref="CheckpointEvery"/> steps (for example to save it to disk).</summary>
    public Action<FitLoopCheckpoint>? Checkpoint { get; init; }
}

/// <summary>Progress of a run, reported after each step.</summary>
/// <param name="Step">Steps completed.</param>
/// <param name="Elbo">This step's ELBO estimate.</param>
/// <param name="StepsPerSecond">Average speed so far.</param>
/// <param name="MaxSteps">The step limit.</param>
public readonly record struct SviProgress(int Step, double Elbo, double StepsPerSecond, int MaxSteps);
