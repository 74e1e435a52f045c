namespace Vinfer.Optim;

/// <summary>
/// Adam (Kingma &amp; Ba 2015, "Adam: A method for stochastic optimization") with PyTorch's update
/// (torch.optim.Adam, L2 weight decay added to the gradient):
/// m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − (η / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε).
/// </summary>
public class Adam : Optimizer
{
    private readonly ScratchBuffer _scratch = new();

    /// <summary>Creates the optimizer (PyTorch's defaults).</summary>
    public Adam(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
        : base(learningRate)
    {
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1)");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1)");
        if (!(epsilon >= 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be non-negative");
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weight decay must be non-negative");
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
    }

    /// <summary>β₁, decay of the first moment.</summary>
    public double Beta1 { get; }
    /// <summary>β₂, decay of the second moment.</summary>
    public double Beta2 { get; }
    /// <summary>ε added to the denominator.</summary>
    public double Epsilon { get; }
    /// <summary>Weight decay λ (L2 in the gradient for Adam, decoupled for <see cref="AdamW"/>).</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    protected override int SlotCount => 2;

    /// <inheritdoc/>
    protected override void Update(ParameterState state, Span<double> value, ReadOnlySpan<double> grad)
    {
        var scratch = _scratch.Get(value.Length);
        var g = ApplyDecay(grad, value, scratch);
        double t = state.Steps;
        double bc1 = 1 - Math.Pow(Beta1, t);
        double sqrtBc2 = Math.Sqrt(1 - Math.Pow(Beta2, t));
        // PyTorch: θ ← θ − (η/bc1) · m / (√v/√bc2 + ε)
        OptimizerMath.AdamUpdate(value, g, state.Slot(0), state.Slot(1), Beta1, Beta2, LearningRate / bc1, 1 / sqrtBc2, Epsilon);
    }

    /// <summary>Returns the gradient used by the moments; Adam adds λθ (L2), AdamW decays θ directly.</summary>
    private protected virtual ReadOnlySpan<double> ApplyDecay(ReadOnlySpan<double> grad, Span<double> value, Span<double> scratch)
        => OptimizerMath.WithWeightDecay(grad, value, WeightDecay, scratch);
}
