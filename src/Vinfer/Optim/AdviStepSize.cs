namespace Vinfer.Optim;

/// <summary>
/// Stan's ADVI step-size sequence (Kucukelbir, Tran, Ranganath, Gelman &amp; Blei 2017, "Automatic differentiation
/// variational inference", JMLR 18, eq. 10), written for minimization:
/// θ ← θ − ρₖ ⊙ gₖ with ρₖ = η · k^(−1/2+ε) · (τ + √sₖ)⁻¹, sₖ = α gₖ² + (1−α) sₖ₋₁, s₁ = g₁².
/// Stan's implementation (stan/variational/advi.hpp) uses τ = 1, α = 0.1 and ε = 0; those are the defaults.
/// <see cref="Optimizer.LearningRate"/> is η; pick it with <see cref="AdviStepSizeAdaptation"/>.
/// </summary>
public sealed class AdviStepSize : Optimizer
{
    /// <summary>Creates the sequence.</summary>
    /// <param name="eta">η, the scale of the step size.</param>
    /// <param name="tau">τ, keeps the first steps bounded when s is small.</param>
    /// <param name="alpha">α, weight of the newest squared gradient in s.</param>
    /// <param name="epsilon">ε in the exponent k^(−1/2+ε) (the paper suggests 1e−16; Stan uses 0).</param>
    public AdviStepSize(double eta = 1.0, double tau = 1.0, double alpha = 0.1, double epsilon = 0.0)
        : base(eta)
    {
        if (!(tau > 0)) throw new ArgumentOutOfRangeException(nameof(tau), tau, "tau must be positive");
        if (!(alpha > 0 && alpha <= 1)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be in (0, 1]");
        if (!(epsilon >= 0 && epsilon < 0.5)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be in [0, 0.5)");
        Tau = tau;
        Alpha = alpha;
        Epsilon = epsilon;
    }

    /// <summary>τ.</summary>
    public double Tau { get; }
    /// <summary>α.</summary>
    public double Alpha { get; }
    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    protected override int SlotCount => 1;

    /// <inheritdoc/>
    protected override void Update(ParameterState state, Span<double> value, ReadOnlySpan<double> grad)
    {
        double k = state.Steps;
        double scale = LearningRate * Math.Pow(k, -0.5 + Epsilon);
        // s₁ = g₁² (Stan), then the exponential average with weight α on the newest square
        if (k == 1) OptimizerMath.AdviUpdate(value, grad, state.Slot(0), 0.0, 1.0, scale, Tau);
        else OptimizerMath.AdviUpdate(value, grad, state.Slot(0), 1 - Alpha, Alpha, scale, Tau);
    }
}
