namespace Vinfer.Conjugate;

/// <summary>
/// Settings of stochastic variational inference (Hoffman, Blei, Wang and Paisley 2013, §2.4 and Fig. 4): minibatches
/// of <see cref="BatchSize"/> points drawn without replacement, step sizes ρ_t = (t + <see cref="Delay"/>)^(−<see
/// cref="ForgettingRate"/>) (Robbins–Monro for κ ∈ (0.5, 1]), and optional Polyak–Ruppert averaging of the natural
/// parameters from step <see cref="AverageFrom"/> on (Polyak and Juditsky 1992).
/// </summary>
public sealed record NaturalGradientSettings
{
    /// <summary>Points per minibatch, |B| (1 ≤ |B| ≤ N).</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>The delay τ ≥ 0, which down-weights early iterations (scikit-learn's learning_offset; Hoffman et al. use 1–1024).</summary>
    public double Delay { get; init; } = 1.0;

    /// <summary>The forgetting rate κ ∈ (0.5, 1].</summary>
    public double ForgettingRate { get; init; } = 0.7;

    /// <summary>When set, the reported q(θ) is the running mean of λ over steps ≥ this one (1-based); null: no averaging.</summary>
    public int? AverageFrom { get; init; }

    /// <summary>Throws with a clear message when a setting is out of range for <paramref name="dataCount"/> points.</summary>
    public void Validate(int dataCount)
    {
        if (BatchSize < 1 || BatchSize > dataCount)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, $"the batch size must be between 1 and the number of data points ({dataCount}).");
        if (!(Delay >= 0) || double.IsInfinity(Delay)) throw new ArgumentOutOfRangeException(nameof(Delay), Delay, "the delay τ must be finite and non-negative.");
        if (!(ForgettingRate > 0.5 && ForgettingRate <= 1)) throw new ArgumentOutOfRangeException(nameof(ForgettingRate), ForgettingRate, "the forgetting rate κ must be in (0.5, 1].");
        if (AverageFrom is < 1) throw new ArgumentOutOfRangeException(nameof(AverageFrom), AverageFrom, "averaging must start at step 1 or later.");
    }

    /// <summary>ρ_t = (t + τ)^(−κ) for step t = 0, 1, …, capped at 1.</summary>
    public double StepSize(long t) => Math.Min(1.0, Math.Pow(t + Delay, -ForgettingRate));
}
