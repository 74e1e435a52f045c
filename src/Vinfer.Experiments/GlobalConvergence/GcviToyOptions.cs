namespace Vinfer.Experiments.GlobalConvergence;

/// <summary>Settings of <see cref="GcviToyStudy"/> (McNamara, Loper and Regier 2024, the toy problem of §5.1).</summary>
public sealed record GcviToyOptions
{
    /// <summary>Hidden widths p of the NTK-scaled network (the paper: 64, 256, 1024).</summary>
    public IReadOnlyList<int> Widths { get; init; } = [64, 256, 1024];

    /// <summary>Adam steps per fit (the paper and the default: 200,000).</summary>
    public int Steps { get; init; } = 200_000;

    /// <summary>Fresh (θ, x) pairs per step (the paper: 16).</summary>
    public int PairsPerStep { get; init; } = 16;

    /// <summary>Fixed held-out pairs for the test NLL (the paper: 1,000).</summary>
    public int TestPairs { get; init; } = 1000;

    /// <summary>Test-set inputs on which the Jacobian and NTK drift are measured.</summary>
    public int ProbeInputs { get; init; } = 32;

    /// <summary>Evaluations of the test NLL and drift along each run (log-spaced steps).</summary>
    public int Evaluations { get; init; } = 24;

    /// <summary>The step-size schedule's offset and slope: lr_t = 1/(Offset + t·Slope) (the paper: 10⁴ and 1/10).</summary>
    public double RateOffset { get; init; } = 1e4;

    /// <summary>See <see cref="RateOffset"/>.</summary>
    public double RateSlope { get; init; } = 0.1;

    /// <summary>The seed of the test set, the initial weights and the simulations.</summary>
    public ulong Seed { get; init; } = 2024;

    /// <summary>The smoke-run preset (a few seconds).</summary>
    public static GcviToyOptions Quick => new() { Widths = [16, 64], Steps = 400, TestPairs = 400, ProbeInputs = 8, Evaluations = 6, RateOffset = 100 };

    /// <summary>Throws ArgumentException naming the first bad setting.</summary>
    public void Validate()
    {
        if (Widths.Count == 0 || Widths.Any(w => w < 1)) throw new ArgumentException($"gcvi-toy: widths must be at least 1, got [{string.Join(", ", Widths)}].");
        if (Steps < 1) throw new ArgumentException($"gcvi-toy: steps must be at least 1, got {Steps}.");
        if (PairsPerStep < 1) throw new ArgumentException($"gcvi-toy: pairs per step must be at least 1, got {PairsPerStep}.");
        if (TestPairs < 2) throw new ArgumentException($"gcvi-toy: test pairs must be at least 2, got {TestPairs}.");
        if (ProbeInputs < 1 || ProbeInputs > TestPairs) throw new ArgumentException($"gcvi-toy: probe inputs must be in [1, test pairs], got {ProbeInputs}.");
        if (Evaluations < 2) throw new ArgumentException($"gcvi-toy: evaluations must be at least 2, got {Evaluations}.");
        if (!(RateOffset > 0) || !(RateSlope >= 0)) throw new ArgumentException($"gcvi-toy: the schedule 1/({RateOffset} + t·{RateSlope}) must have a positive offset and non-negative slope.");
    }
}
