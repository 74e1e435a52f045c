using System.Numerics.Tensors;

namespace Vinfer.Optim;

/// <summary>
/// RMSprop (Tieleman &amp; Hinton 2012, Coursera lecture 6.5; centered form of Graves 2013, "Generating sequences
/// with recurrent neural networks") with PyTorch's update: g ← ∇ + λθ; s ← αs + (1−α)g²;
/// centered: a ← αa + (1−α)g, d ← √(s − a²) + ε, else d ← √s + ε; with momentum μ: b ← μb + g/d, θ ← θ − ηb,
/// else θ ← θ − η·g/d.
/// </summary>
public sealed class RmsProp : Optimizer
{
    private readonly ScratchBuffer _scratch = new();
    private readonly ScratchBuffer _denominator = new();

    /// <summary>Creates the optimizer (PyTorch's defaults).</summary>
    public RmsProp(double learningRate = 1e-2, double alpha = 0.99, double epsilon = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false)
        : base(learningRate)
    {
        if (!(alpha >= 0 && alpha < 1)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be in [0, 1)");
        if (!(momentum >= 0 && momentum < 1)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be in [0, 1)");
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "must be non-negative");
        Alpha = alpha;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        Momentum = momentum;
        Centered = centered;
    }

    /// <summary>α, decay of the mean square.</summary>
    public double Alpha { get; }
    /// <summary>ε.</summary>
    public double Epsilon { get; }
    /// <summary>λ.</summary>
    public double WeightDecay { get; }
    /// <summary>μ.</summary>
    public double Momentum { get; }
    /// <summary>Whether the gradient variance (rather than its raw second moment) normalizes the step.</summary>
    public bool Centered { get; }

    // slot 0: mean square; slot 1: momentum buffer; slot 2: mean gradient (centered)
    /// <inheritdoc/>
    protected override int SlotCount => 3;

    /// <inheritdoc/>
    protected override void Update(ParameterState state, Span<double> value, ReadOnlySpan<double> grad)
    {
        var g = OptimizerMath.WithWeightDecay(grad, value, WeightDecay, _scratch.Get(value.Length));
        var sq = state.Slot(0);
        OptimizerMath.EmaSquare(sq, g, Alpha);
        var d = _denominator.Get(value.Length);
        if (Centered)
        {
            var avg = state.Slot(2);
            OptimizerMath.Ema(avg, g, Alpha);
            TensorPrimitives.Multiply(avg, avg, d);
            TensorPrimitives.Subtract(sq, d, d);
            TensorPrimitives.Sqrt(d, d);
        }
        else TensorPrimitives.Sqrt(sq, d);
        TensorPrimitives.Add(d, Epsilon, d);
        TensorPrimitives.Divide(g, d, d);
        if (Momentum > 0)
        {
            var buf = state.Slot(1);
            TensorPrimitives.MultiplyAdd(buf, Momentum, d, buf);
            TensorPrimitives.MultiplyAdd(buf, -LearningRate, value, value);
        }
        else TensorPrimitives.MultiplyAdd(d, -LearningRate, value, value);
    }
}
