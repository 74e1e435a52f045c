namespace Vinfer.Inference;

/// <summary>What an <see cref="Svi"/> run did.</summary>
/// <param name="Steps">Steps taken (counting each step once, after recoveries).</param>
/// <param name="Converged">True when Stan's rule stopped the run before the limit.</param>
/// <param name="ElboTrace">The per-step ELBO estimates of the steps kept.</param>
/// <param name="ElboEvaluations">The convergence evaluations: (step, ELBO with many particles).</param>
/// <param name="Recoveries">How many times the run went back to a good state after a non-finite value.</param>
/// <param name="LearningRate">The learning rate at the end (lower than the start after recoveries).</param>
/// <param name="Seconds">Wall time.</param>
public sealed record SviRun(int Steps, bool Converged, double[] ElboTrace, IReadOnlyList<(int Step, double Elbo)> ElboEvaluations,
    int Recoveries, double LearningRate, double Seconds)
{
    /// <summary>The stationarity statistic of the trace's last two blocks of eval_elbo steps (null when shorter).</summary>
    public Diagnostics.ObjectiveStationarity? Stationarity { get; init; }
}
