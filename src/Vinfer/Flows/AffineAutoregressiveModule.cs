using Vinfer.Nn;
using Vinfer.Tensors;

namespace Vinfer.Flows;

/// <summary>
/// A learnable <see cref="AffineAutoregressive"/> transform on a <see cref="Made"/> conditioner, in the numerically
/// stable form of inverse autoregressive flow (Kingma et al., NeurIPS 2016, eq. 14): from MADE's outputs (m, s),
/// σ = sigmoid(s + 2) and y = σ x + (1 − σ) m, i.e. log-scale log σ and shift (1 − σ) m. The forget bias 2 makes each
/// layer start close to the identity (σ ≈ 0.88). With <see cref="Inverse"/> set, the layer is a masked
/// autoregressive flow (Papamakarios et al. 2017) instead: the same network, used backwards.
/// </summary>
public sealed class AffineAutoregressiveModule : FlowModule
{
    private const double ForgetBias = 2.0;
    private readonly Made _network;

    /// <summary>An IAF layer (or a MAF layer with <paramref name="inverse"/>) on vectors of size <paramref name="dimension"/>.</summary>
    public AffineAutoregressiveModule(string name, int dimension, IReadOnlyList<int> hiddenSizes, bool inverse = false) : base(name, dimension)
    {
        _network = Register(new Made(ChildName("made"), dimension, hiddenSizes, outputsPerInput: 2));
        Inverse = inverse;
    }

    /// <summary>True for MAF (the autoregressive transform used backwards).</summary>
    public bool Inverse { get; }

    private Tensor Parameters(Tensor x)
    {
        var parts = _network.ForwardParts(x);
        var gate = parts[1] + ForgetBias;
        var shift = (1.0 - gate.Sigmoid()) * parts[0];
        return Tensor.Stack(-1, shift, gate.LogSigmoid());
    }

    /// <inheritdoc/>
    public override Flow Build()
    {
        var flow = new AffineAutoregressive(Dimension, Parameters);
        return Inverse ? new InverseFlow(flow) : flow;
    }
}
