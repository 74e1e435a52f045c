using Vinfer.Nn;
using Vinfer.Tensors;

namespace Vinfer.Flows;

/// <summary>
/// A learnable <see cref="AffineAutoregressive"/> transform on a <see cref="Made"/> conditioner. By default Pyro's
/// form: MADE's outputs (μ, s) give y = x·exp(s) + μ with s clamped to [−5, 3]. With <see cref="Gated"/>, the gated
/// form of Kingma et al. (NeurIPS 2016, eq. 14): σ = sigmoid(s + 2), y = σ x + (1 − σ) μ, which starts near the
/// identity but can only contract per layer; on the banana and funnel it fitted markedly worse (docs/flows.md), so it
/// is not the default. With <see cref="Inverse"/> set, the layer is a masked autoregressive flow (Papamakarios et
/// al. 2017) instead: the same network, used backwards.
/// </summary>
public sealed class AffineAutoregressiveModule : FlowModule
{
    private const double ForgetBias = 2.0;

    /// <summary>The lower clamp of the log-scale s (Pyro's −5).</summary>
    public const double MinimumLogScale = -5.0;
    private readonly Made _network;

    /// <summary>An IAF layer (or a MAF layer with <paramref name="inverse"/>) on vectors of size <paramref name="dimension"/>.</summary>
    public AffineAutoregressiveModule(string name, int dimension, IReadOnlyList<int> hiddenSizes, bool inverse = false, bool gated = false) : base(name, dimension)
    {
        Gated = gated;
        _network = Register(new Made(ChildName("made"), dimension, hiddenSizes, outputsPerInput: 2));
        Inverse = inverse;
    }

    /// <summary>Kingma et al.'s gated form (true) or Pyro's default y = x·exp(s) + μ with s clamped to [−5, 3] (false).</summary>
    public bool Gated { get; }

    /// <summary>
    /// The upper clamp of the log-scale s (Pyro's 3, the default). A funnel's xᵢ | v need s = v/2 up to ≈ 4.5 at
    /// three sds of v; the default caps one layer's scale at e³ ≈ 20 (see docs/flows.md).
    /// </summary>
    public double MaximumLogScale
    {
        get => _maximumLogScale;
        init => _maximumLogScale = value > MinimumLogScale && double.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(MaximumLogScale), $"{Name}: the maximum log-scale must be finite and above the minimum {MinimumLogScale}, got {value}.");
    }

    private readonly double _maximumLogScale = 3.0;

    /// <summary>True for MAF (the autoregressive transform used backwards).</summary>
    public bool Inverse { get; }

    private Tensor Parameters(Tensor x)
    {
        var parts = _network.ForwardParts(x);
        if (!Gated) return Tensor.Stack(-1, parts[0], parts[1].Clamp(MinimumLogScale, MaximumLogScale));
        var gate = parts[1] + ForgetBias;
        var shift = (1.0 - gate.Sigmoid()) * parts[0];
        return Tensor.Stack(-1, shift, gate.LogSigmoid());
    }

    /// <inheritdoc/>
    public override Flow Build()
    {
        var flow = new AffineAutoregressive(Dimension, BindParameters(Parameters));
        return Inverse ? new InverseFlow(flow) : flow;
    }
}
