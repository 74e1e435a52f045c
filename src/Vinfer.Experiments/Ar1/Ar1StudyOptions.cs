using Vinfer.StateSpace;

namespace Vinfer.Experiments.Ar1;

/// <summary>
/// Settings of the AR(1)-plus-noise study (Bertholom &amp; Roueff 2025, §3 and Fig. 1): data lengths, the sweep of
/// iterations per run, the methods, the time budget per experiment and the number of repetitions.
/// </summary>
public sealed record Ar1StudyOptions
{
    /// <summary>Series lengths T; one synthetic series per length.</summary>
    public IReadOnlyList<int> Lengths { get; init; } = [500, 1024];

    /// <summary>The fixed numbers of iterations per run that are swept.</summary>
    public IReadOnlyList<int> IterationCounts { get; init; } = [2, 4, 8, 16, 32, 64];

    /// <summary>Methods compared: any of "em", "vem", "structured".</summary>
    public IReadOnlyList<string> Methods { get; init; } = ["em", "vem"];

    /// <summary>Repetitions of each experiment (each gives one best-of-budget estimate).</summary>
    public int Repetitions { get; init; } = 20;

    /// <summary>Algorithm time (thread CPU time) allowed per experiment, in seconds.</summary>
    public double BudgetSeconds { get; init; } = 10.0;

    /// <summary>Seed of the data generation and of the random initializations.</summary>
    public int Seed { get; init; } = 2025;

    /// <summary>The parameters that generate the data.</summary>
    public Ar1NoiseModel Truth { get; init; } = new(0.88, 1.23, 1.34, 0.95);

    /// <summary>The known initial state.</summary>
    public double X0 { get; init; } = 1.2;

    /// <summary>The smoke-run preset: a 0.05 s budget, 3 repetitions and a three-point sweep.</summary>
    public static Ar1StudyOptions Quick => new() { BudgetSeconds = 0.05, Repetitions = 3, IterationCounts = [2, 8, 32] };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Lengths.Count == 0 || Lengths.Any(t => t < 2)) throw new ArgumentException("Ar1StudyOptions: lengths must be non-empty and each at least 2.");
        if (IterationCounts.Count == 0 || IterationCounts.Any(k => k < 1)) throw new ArgumentException("Ar1StudyOptions: iteration counts must be non-empty and each at least 1.");
        if (Methods.Count == 0) throw new ArgumentException("Ar1StudyOptions: at least one method is needed.");
        foreach (string m in Methods)
            if (m is not ("em" or "vem" or "structured")) throw new ArgumentException($"Ar1StudyOptions: unknown method '{m}'; expected em, vem or structured.");
        if (Repetitions < 1) throw new ArgumentException($"Ar1StudyOptions: repetitions is {Repetitions}, expected at least 1.");
        if (!(BudgetSeconds > 0.0) || !double.IsFinite(BudgetSeconds)) throw new ArgumentException($"Ar1StudyOptions: budget is {BudgetSeconds} s, expected a positive number of seconds.");
        Truth.Validate(nameof(Truth));
        if (!double.IsFinite(X0)) throw new ArgumentException($"Ar1StudyOptions: x0 is {X0}, expected a finite number.");
    }
}
