using System.Numerics.Tensors;

namespace Vinfer.Optim;

/// <summary>
/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, with PyTorch's
/// update (torch.optim.SGD; Nesterov form of Sutskever et al. 2013, "On the importance of initialization and
/// momentum in deep learning"):
/// g ← ∇ + λθ; b ← g on the first step, else b ← μb + (1−τ)g; d ← g + μb (Nesterov) or b; θ ← θ − η·d.
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly ScratchBuffer _scratch = new();

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">η.</param>
    /// <param name="momentum">μ ∈ [0, 1); 0 disables momentum.</param>
    /// <param name="dampening">τ, the dampening of the gradient in the momentum buffer.</param>
    /// <param name="weightDecay">λ, L2 penalty added to the gradient.</param>
    /// <param name="nesterov">Use Nesterov momentum (needs momentum &gt; 0 and zero dampening).</param>
    public Sgd(double learningRate, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(learningRate)
    {
        if (!(momentum >= 0 && momentum < 1)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be in [0, 1)");
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weight decay must be non-negative");
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException("Nesterov momentum requires momentum > 0 and zero dampening", nameof(nesterov));
        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
    }

    /// <summary>μ.</summary>
    public double Momentum { get; }
    /// <summary>τ.</summary>
    public double Dampening { get; }
    /// <summary>λ.</summary>
    public double WeightDecay { get; }
    /// <summary>Whether the Nesterov form is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    protected override int SlotCount => Momentum > 0 ? 1 : 0;

    /// <inheritdoc/>
    protected override void Update(ParameterState state, Span<double> value, ReadOnlySpan<double> grad)
    {
        var scratch = _scratch.Get(value.Length);
        var g = OptimizerMath.WithWeightDecay(grad, value, WeightDecay, scratch);
        if (Momentum > 0)
        {
            var buf = state.Slot(0);
            if (state.Steps == 1) g.CopyTo(buf);
            else OptimizerMath.MomentumUpdate(buf, g, Momentum, 1 - Dampening);
            if (Nesterov)
            {
                // d = g + μ·b, fused into the parameter update: θ ← θ − η·g − ημ·b
                TensorPrimitives.MultiplyAdd(g, -LearningRate, value, value);
                TensorPrimitives.MultiplyAdd(buf, -LearningRate * Momentum, value, value);
                return;
            }
            g = buf;
        }
        TensorPrimitives.MultiplyAdd(g, -LearningRate, value, value);
    }
}
