using Vinfer.StateSpace;

namespace Vinfer.Experiments.Ar1;

/// <summary>The outcome of <see cref="Ar1Study.Run"/>: the options, the per-length reference fits and the study cells.</summary>
public sealed record Ar1StudyResult(
    Ar1StudyOptions Options,
    IReadOnlyList<Ar1StudyDataset> Datasets,
    IReadOnlyList<Ar1StudyCell> Cells,
    double WallSeconds)
{
    /// <summary>
    /// Σ time / Σ iterations of <paramref name="numerator"/> over that of <paramref name="denominator"/> across all
    /// iteration counts at length <paramref name="length"/>, e.g. the EM/VEM per-iteration cost ratio.
    /// </summary>
    public double CostRatio(int length, string numerator, string denominator)
    {
        double PerIteration(string method)
        {
            var cells = Cells.Where(c => c.Length == length && c.Method == method).ToList();
            return cells.Sum(c => c.AlgorithmSeconds) / cells.Sum(c => (double)c.TotalIterations);
        }
        return PerIteration(numerator) / PerIteration(denominator);
    }

    /// <summary>Seconds per iteration of <paramref name="method"/> at <paramref name="length"/>, pooled over iteration counts.</summary>
    public double SecondsPerIteration(int length, string method)
    {
        var cells = Cells.Where(c => c.Length == length && c.Method == method).ToList();
        return cells.Sum(c => c.AlgorithmSeconds) / cells.Sum(c => (double)c.TotalIterations);
    }
}

/// <summary>
/// One synthetic series of the study with reference values: the log-likelihood at the true θ and, per method, a fit
/// run to convergence from the true θ (its log-likelihood, ELBO and variational gap).
/// </summary>
public sealed record Ar1StudyDataset(int Length, double TrueLogLikelihood, IReadOnlyList<Ar1FitResult> ConvergedFits);
