using System.Numerics.Tensors;

namespace Vinfer.Optim;

/// <summary>
/// Pyro's ClippedAdam (pyro.optim.clipped_adam): each gradient element is clipped to [−c, c], then an Adam step
/// with the bias corrections folded into the step size, θ ← θ − η·√(1−β₂ᵗ)/(1−β₁ᵗ) · m / (√v + ε);
/// the learning rate is multiplied by the decay factor at the start of every step (η ← η·lrd), so the k-th
/// step uses η₀·lrdᵏ. When a <see cref="Optimizer.Schedule"/> is set, it alone sets the rate and lrd is not applied.
/// </summary>
public sealed class ClippedAdam : Optimizer
{
    private readonly ScratchBuffer _scratch = new();

    /// <summary>Creates the optimizer (Pyro's defaults).</summary>
    public ClippedAdam(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8,
        double weightDecay = 0, double clipNorm = 10.0, double learningRateDecay = 1.0)
        : base(learningRate)
    {
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1)");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1)");
        if (!(clipNorm > 0)) throw new ArgumentOutOfRangeException(nameof(clipNorm), clipNorm, "clip norm must be positive");
        if (!(learningRateDecay > 0 && learningRateDecay <= 1)) throw new ArgumentOutOfRangeException(nameof(learningRateDecay), learningRateDecay, "learning-rate decay must be in (0, 1]");
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        ClipNorm = clipNorm;
        LearningRateDecay = learningRateDecay;
    }

    /// <summary>β₁.</summary>
    public double Beta1 { get; }
    /// <summary>β₂.</summary>
    public double Beta2 { get; }
    /// <summary>ε.</summary>
    public double Epsilon { get; }
    /// <summary>λ (L2 in the clipped gradient).</summary>
    public double WeightDecay { get; }
    /// <summary>c, the bound on each gradient element.</summary>
    public double ClipNorm { get; }
    /// <summary>lrd, the per-step multiplicative learning-rate decay.</summary>
    public double LearningRateDecay { get; }

    /// <inheritdoc/>
    protected override int SlotCount => 2;

    /// <inheritdoc/>
    protected override void BeginStep()
    {
        if (LearningRateDecay != 1.0 && Schedule is null) LearningRate *= LearningRateDecay;
    }

    /// <inheritdoc/>
    protected override void Update(ParameterState state, Span<double> value, ReadOnlySpan<double> grad)
    {
        ReadOnlySpan<double> g = grad;
        double clip = ClipNorm;
        if (WeightDecay != 0)
        {
            // Pyro clamps the raw gradient, then adds the decay term
            var decayed = _scratch.Get(value.Length);
            TensorPrimitives.Clamp(grad, -ClipNorm, ClipNorm, decayed);
            TensorPrimitives.MultiplyAdd(value, WeightDecay, decayed, decayed);
            g = decayed;
            clip = double.PositiveInfinity;
        }
        double t = state.Steps;
        double stepSize = LearningRate * Math.Sqrt(1 - Math.Pow(Beta2, t)) / (1 - Math.Pow(Beta1, t));
        OptimizerMath.AdamUpdate(value, g, state.Slot(0), state.Slot(1), Beta1, Beta2, stepSize, 1.0, Epsilon, clip);
    }
}
