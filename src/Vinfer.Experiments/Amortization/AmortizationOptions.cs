namespace Vinfer.Experiments.Amortization;

/// <summary>Settings of <see cref="AmortizationStudy"/>.</summary>
public sealed record AmortizationOptions
{
    /// <summary>The model: linear, nonlinear, saw or hmm.</summary>
    public string Model { get; init; } = "linear";

    /// <summary>Seeds per method (the paper: 10).</summary>
    public int Seeds { get; init; } = 10;

    /// <summary>Reparameterized samples per ELBO estimate (the paper: 100).</summary>
    public int Samples { get; init; } = 100;

    /// <summary>Iterations per fit; null: the model's full protocol.</summary>
    public int? Iterations { get; init; }

    /// <summary>The size of the data relative to the paper's (1: n = 10,000 for linear and nonlinear, N = 1,000 for saw, 100 for hmm).</summary>
    public double SizeScale { get; init; } = 1;

    /// <summary>Iterations between evaluations of −ELBO (with <see cref="EvaluationSamples"/> samples).</summary>
    public int EvaluateEvery { get; init; } = 25;

    /// <summary>Samples per evaluation of −ELBO along the run.</summary>
    public int EvaluationSamples { get; init; } = 100;

    /// <summary>The data's seed (the fits' seeds follow it).</summary>
    public ulong Seed { get; init; } = 2024;

    /// <summary>The smoke-run preset: 2 seeds, 10 samples, 300 iterations, a tenth of the data.</summary>
    public static AmortizationOptions Quick(string model) => new() { Model = model, Seeds = 2, Samples = 10, Iterations = 300, SizeScale = 0.1, EvaluateEvery = 10, EvaluationSamples = 20 };

    /// <summary>Throws ArgumentException naming the first bad setting.</summary>
    public void Validate()
    {
        if (Model is not ("linear" or "nonlinear" or "saw" or "hmm")) throw new ArgumentException($"--model: '{Model}' is not one of linear, nonlinear, saw, hmm, bayesian-vae.");
        if (Seeds < 1) throw new ArgumentException($"amortization: seeds must be at least 1, got {Seeds}.");
        if (Samples < 1 || EvaluationSamples < 1) throw new ArgumentException($"amortization: samples must be at least 1, got {Samples} and {EvaluationSamples}.");
        if (Iterations is < 1) throw new ArgumentException($"amortization: iterations must be at least 1, got {Iterations}.");
        if (!(SizeScale > 0 && SizeScale <= 1)) throw new ArgumentException($"amortization: the size scale must be in (0, 1], got {SizeScale}.");
        if (EvaluateEvery < 1) throw new ArgumentException($"amortization: evaluate-every must be at least 1, got {EvaluateEvery}.");
    }
}
