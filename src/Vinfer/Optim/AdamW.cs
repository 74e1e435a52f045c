using System.Numerics.Tensors;

namespace Vinfer.Optim;

/// <summary>
/// AdamW: Adam with decoupled weight decay (Loshchilov &amp; Hutter 2019, "Decoupled weight decay regularization"),
/// PyTorch's update: θ ← θ(1 − ηλ), then the Adam step on the raw gradient.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimizer (PyTorch's defaults, weight decay 0.01).</summary>
    public AdamW(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0.01)
        : base(learningRate, beta1, beta2, epsilon, weightDecay) { }

    private protected override ReadOnlySpan<double> ApplyDecay(ReadOnlySpan<double> grad, Span<double> value, Span<double> scratch)
    {
        if (WeightDecay != 0) TensorPrimitives.Multiply(value, 1 - LearningRate * WeightDecay, value);
        return grad;
    }
}
