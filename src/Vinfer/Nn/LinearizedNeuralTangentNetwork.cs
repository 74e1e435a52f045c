using Vinfer.Modeling;
using Vinfer.Tensors;

namespace Vinfer.Nn;

/// <summary>
/// The first-order Taylor expansion of a <see cref="NeuralTangentNetwork"/> around its initialization φ₀,
/// f_lin(x; φ) = f(x; φ₀) + J(x; φ₀)(φ − φ₀), a model linear in its own parameters φ = (W₁, W₂) (which start at φ₀),
/// trained like any module (Lee et al., "Wide Neural Networks of Any Depth Evolve as Linear Models Under Gradient
/// Descent", NeurIPS 2019; McNamara, Loper and Regier, "Globally Convergent Variational Inference", NeurIPS 2024, who
/// compare a network with its linearization). With h₀ = W₁⁰x, a₀ = ReLU(h₀) and the gate m = 1[h₀ &gt; 0]:
/// f_lin(x; φ) = [W₂⁰ a₀ + (W₂ − W₂⁰) a₀ + W₂⁰ (m ⊙ (W₁ − W₁⁰) x)] / √p, computed without forming J.
/// </summary>
public sealed class LinearizedNeuralTangentNetwork : Module
{
    private readonly Tensor _inputWeight0, _outputWeight0;

    /// <summary>The linearization of <paramref name="network"/> around its initial parameters.</summary>
    public LinearizedNeuralTangentNetwork(string name, NeuralTangentNetwork network) : base(name)
    {
        ArgumentNullException.ThrowIfNull(network);
        Network = network;
        _inputWeight0 = network.InputWeight.InitialValue();
        _outputWeight0 = network.OutputWeight.InitialValue();
        InputWeight = RegisterParameter("input_weight", _inputWeight0.ShapeArray, new FixedValues(_inputWeight0), network.InputSize, network.Width, null);
        OutputWeight = RegisterParameter("output_weight", _outputWeight0.ShapeArray, new FixedValues(_outputWeight0), network.Width, network.OutputSize, null);
    }

    /// <summary>The network linearized (its initial parameters are φ₀).</summary>
    public NeuralTangentNetwork Network { get; }

    /// <summary>W₁ of the linear model [p, d], starting at W₁⁰.</summary>
    public ModuleParameter InputWeight { get; }

    /// <summary>W₂ of the linear model [k, p], starting at W₂⁰.</summary>
    public ModuleParameter OutputWeight { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        CheckLastDimension(input, Network.InputSize);
        Tensor activation, gate;
        using (GradMode.Disable())
        {
            var preactivation = input.Linear(_inputWeight0);
            activation = preactivation.Relu();
            var g = new double[preactivation.Count];
            var h = preactivation.Span;
            for (int i = 0; i < g.Length; i++) g[i] = h[i] > 0 ? 1 : 0;
            gate = Tensor.Wrap(g, preactivation.ShapeArray);
        }
        var outputWeight = OutputWeight.Value;
        var inputShift = input.Linear(InputWeight.Value - _inputWeight0);
        var f = activation.Linear(outputWeight) + (gate * inputShift).Linear(_outputWeight0);
        return f * (1 / Math.Sqrt(Network.Width));
    }

    /// <summary>An initializer that writes given values (φ₀), whatever the key.</summary>
    private sealed class FixedValues(Tensor values) : Initializer
    {
        public override void Fill(Vinfer.Random.RandomKey key, Span<double> destination, int fanIn, int fanOut) => values.Span.CopyTo(destination);

        public override string ToString() => "FixedValues";
    }
}
