using Vinfer.Tensors;
using Vinfer.Tensors.Kernels;

namespace Vinfer.Nn;

/// <summary>
/// An elementwise nonlinearity used as a layer (PyTorch's <c>nn.ReLU()</c>, <c>nn.Tanh()</c>, …). Each applies one
/// differentiable op of <see cref="Tensor"/>.
/// </summary>
public sealed class Activation : ILayer
{
    private readonly Func<Tensor, Tensor> _apply;

    private Activation(string name, Func<Tensor, Tensor> apply, SingleActivation singleKind, double singleParameter = 0)
    {
        Name = name;
        _apply = apply;
        SingleKind = singleKind;
        SingleParameter = (float)singleParameter;
    }

    /// <summary>The same activation in the float32 kernels (<see cref="Precision.Float32"/>).</summary>
    internal SingleActivation SingleKind { get; }

    /// <summary>Its parameter there (slope or α).</summary>
    internal float SingleParameter { get; }

    /// <summary>A short name (<c>relu</c>, <c>tanh</c>, <c>leaky_relu(0.01)</c>, …).</summary>
    public string Name { get; }

    /// <inheritdoc/>
    public Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return _apply(input);
    }

    /// <summary>max(x, 0).</summary>
    public static Activation Relu { get; } = new("relu", x => x.Relu(), SingleActivation.Relu);

    /// <summary>tanh x.</summary>
    public static Activation Tanh { get; } = new("tanh", x => x.Tanh(), SingleActivation.Tanh);

    /// <summary>σ(x) = 1/(1 + e⁻ˣ).</summary>
    public static Activation Sigmoid { get; } = new("sigmoid", x => x.Sigmoid(), SingleActivation.Sigmoid);

    /// <summary>log(1 + eˣ).</summary>
    public static Activation Softplus { get; } = new("softplus", x => x.Softplus(), SingleActivation.Softplus);

    /// <summary>x·σ(x) (SiLU, swish).</summary>
    public static Activation Silu { get; } = new("silu", x => x.Silu(), SingleActivation.Silu);

    /// <summary>The identity (no nonlinearity).</summary>
    public static Activation Identity { get; } = new("identity", x => x, SingleActivation.Identity);

    /// <summary>x for x &gt; 0, else slope·x.</summary>
    public static Activation LeakyRelu(double negativeSlope = 0.01) => double.IsFinite(negativeSlope)
        ? new($"leaky_relu({negativeSlope})", x => x.LeakyRelu(negativeSlope), SingleActivation.LeakyRelu, negativeSlope)
        : throw new ArgumentOutOfRangeException(nameof(negativeSlope), negativeSlope, "Activation.LeakyRelu: the slope must be finite.");

    /// <summary>x for x &gt; 0, else α(eˣ − 1).</summary>
    public static Activation Elu(double alpha = 1.0) => double.IsFinite(alpha)
        ? new($"elu({alpha})", x => x.Elu(alpha), SingleActivation.Elu, alpha)
        : throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Activation.Elu: alpha must be finite.");

    /// <inheritdoc/>
    public override string ToString() => Name;
}
