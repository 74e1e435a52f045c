using System.Numerics.Tensors;

namespace Vinfer.Optim;

/// <summary>
/// Adagrad (Duchi, Hazan &amp; Singer 2011, "Adaptive subgradient methods for online learning and stochastic
/// optimization") with PyTorch's update: g ← ∇ + λθ; s ← s + g²; θ ← θ − η/(1 + (t−1)·d) · g / (√s + ε).
/// </summary>
public sealed class Adagrad : Optimizer
{
    private readonly ScratchBuffer _scratch = new();
    private readonly ScratchBuffer _denominator = new();

    /// <summary>Creates the optimizer (PyTorch's defaults).</summary>
    public Adagrad(double learningRate = 1e-2, double learningRateDecay = 0, double weightDecay = 0, double initialAccumulator = 0, double epsilon = 1e-10)
        : base(learningRate)
    {
        if (!(learningRateDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(learningRateDecay), learningRateDecay, "must be non-negative");
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "must be non-negative");
        if (!(initialAccumulator >= 0)) throw new ArgumentOutOfRangeException(nameof(initialAccumulator), initialAccumulator, "must be non-negative");
        LearningRateDecay = learningRateDecay;
        WeightDecay = weightDecay;
        InitialAccumulator = initialAccumulator;
        Epsilon = epsilon;
    }

    /// <summary>d, the 1/t decay of the learning rate.</summary>
    public double LearningRateDecay { get; }
    /// <summary>λ.</summary>
    public double WeightDecay { get; }
    /// <summary>Initial value of the sum of squares.</summary>
    public double InitialAccumulator { get; }
    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    protected override int SlotCount => 1;

    /// <inheritdoc/>
    protected override void Update(ParameterState state, Span<double> value, ReadOnlySpan<double> grad)
    {
        var scratch = _scratch.Get(value.Length);
        var g = OptimizerMath.WithWeightDecay(grad, value, WeightDecay, scratch);
        var sum = state.Slot(0);
        if (state.Steps == 1 && InitialAccumulator != 0) sum.Fill(InitialAccumulator);
        OptimizerMath.AddSquares(sum, g);
        double clr = LearningRate / (1 + (state.Steps - 1) * LearningRateDecay);
        var denom = _denominator.Get(value.Length);
        TensorPrimitives.Sqrt(sum, denom);
        TensorPrimitives.Add(denom, Epsilon, denom);
        TensorPrimitives.Divide(g, denom, denom);
        TensorPrimitives.MultiplyAdd(denom, -clr, value, value);
    }
}
