using Vinfer.StateSpace;

namespace Vinfer.Experiments.Ar1;

/// <summary>
/// One (series length, method, iterations-per-run) cell of the study: per repetition the best-of-budget estimate,
/// its exact log-likelihood, the variational gap at it, and how many runs fitted in the budget; plus the timing.
/// </summary>
public sealed record Ar1StudyCell(
    int Length,
    string Method,
    int IterationsPerRun,
    IReadOnlyList<Ar1NoiseModel> Estimates,
    IReadOnlyList<double> LogLikelihoods,
    IReadOnlyList<double> VariationalGaps,
    IReadOnlyList<int> Runs,
    double AlgorithmSeconds,
    long TotalIterations)
{
    /// <summary>Mean number of runs per budget over the repetitions.</summary>
    public double MeanRuns => Runs.Average();

    /// <summary>Timed algorithm seconds per iteration (initialization and best-run selection excluded).</summary>
    public double SecondsPerIteration => AlgorithmSeconds / TotalIterations;
}
