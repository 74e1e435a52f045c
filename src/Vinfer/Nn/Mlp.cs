using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Nn;

/// <summary>
/// A multilayer perceptron: dense layers <c>Name.0</c>, <c>Name.1</c>, … of sizes in → hidden₁ → … → out with an
/// activation after every hidden layer (and optionally after the output), as Pyro's <c>DenseNN</c>.
/// </summary>
public sealed class Mlp : Module
{
    private readonly Linear[] _layers;

    /// <summary>Creates the network.</summary>
    /// <param name="name">The parameter prefix.</param>
    /// <param name="inputSize">The input's last dimension.</param>
    /// <param name="hiddenSizes">The hidden layers' widths (may be empty: a single linear layer); each must be positive.</param>
    /// <param name="outputSize">The output's last dimension.</param>
    /// <param name="activation">The hidden activation (default ReLU).</param>
    /// <param name="random">The stream the initial values' keys are taken from (null: keys derived from the names).</param>
    /// <param name="outputActivation">An activation applied to the output (default none).</param>
    /// <param name="precision">The arithmetic of the layers (<see cref="Precision"/>; float64 by default). In float32 the
    /// whole stack is one fused op whose activations stay in float32 between layers.</param>
    public Mlp(string name, int inputSize, IReadOnlyList<int> hiddenSizes, int outputSize, Activation? activation = null,
        RandomStream? random = null, Activation? outputActivation = null, Precision precision = Precision.Float64) : base(name)
    {
        Precision = CheckPrecision(precision, nameof(Mlp), name);
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        Positive(inputSize, nameof(inputSize), nameof(Mlp), name);
        Positive(outputSize, nameof(outputSize), nameof(Mlp), name);
        for (int i = 0; i < hiddenSizes.Count; i++)
            if (hiddenSizes[i] <= 0)
                throw new ArgumentOutOfRangeException(nameof(hiddenSizes), hiddenSizes[i],
                    $"Mlp '{name}': hidden size {hiddenSizes[i]} at index {i} must be positive (hidden sizes: [{string.Join(", ", hiddenSizes)}]).");
        InputSize = inputSize;
        OutputSize = outputSize;
        HiddenSizes = [.. hiddenSizes];
        Activation = activation ?? Activation.Relu;
        OutputActivation = outputActivation;
        _layers = new Linear[hiddenSizes.Count + 1];
        int width = inputSize;
        for (int i = 0; i < _layers.Length; i++)
        {
            int next = i < hiddenSizes.Count ? hiddenSizes[i] : outputSize;
            _layers[i] = Register(new Linear(ChildName(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), width, next, random: random));
            width = next;
        }
    }

    /// <summary>The input's last dimension.</summary>
    public int InputSize { get; }

    /// <summary>The output's last dimension.</summary>
    public int OutputSize { get; }

    /// <summary>The hidden widths.</summary>
    public IReadOnlyList<int> HiddenSizes { get; }

    /// <summary>The hidden activation.</summary>
    public Activation Activation { get; }

    /// <summary>The output activation, or null.</summary>
    public Activation? OutputActivation { get; }

    /// <summary>The arithmetic the layers compute in.</summary>
    public Precision Precision { get; }

    /// <summary>The dense layers, input first.</summary>
    public IReadOnlyList<Linear> Layers => _layers;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        CheckLastDimension(input, InputSize);
        if (Precision == Precision.Float32 && input.Count > 0) return ForwardSingle(input);
        var h = input;
        for (int i = 0; i < _layers.Length; i++)
        {
            h = _layers[i].Forward(h);
            if (i < _layers.Length - 1) h = Activation.Forward(h);
        }
        return OutputActivation is null ? h : OutputActivation.Forward(h);
    }

    private Tensor ForwardSingle(Tensor input)
    {
        var layers = new SinglePrecisionDense.Layer[_layers.Length];
        for (int i = 0; i < layers.Length; i++)
        {
            var activation = i < layers.Length - 1 ? Activation : OutputActivation;
            layers[i] = new(_layers[i].Weight.Value, _layers[i].Bias?.Value,
                activation?.SingleKind ?? Tensors.Kernels.SingleActivation.Identity, activation?.SingleParameter ?? 0f);
        }
        return SinglePrecisionDense.Forward(input, layers);
    }
}
