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

    /// <summary>
    /// The Bernoulli log-likelihood of <paramref name="value"/> with this network's output as logits, summed over the
    /// last dimension: Σ_j value_j·ℓ_j − softplus(ℓ_j) with ℓ = <see cref="Forward(Tensor)"/>(<paramref name="input"/>), the
    /// log p(x | z) of a Bernoulli decoder (Kingma and Welling 2014; PyTorch's negated
    /// <c>binary_cross_entropy_with_logits(…).sum(-1)</c>). <paramref name="value"/> has the output's shape or a suffix
    /// of it (data [batch, out] against logits [k, batch, out]); the result has <paramref name="input"/>'s leading shape.
    /// In <see cref="Precision.Float32"/> the logits stay in float32 (the likelihood and its gradient run on the
    /// network's float32 buffers; only the row sums are float64), which saves widening the [..., out] logits and
    /// narrowing their gradient; a value that takes gradients, or of another shape, uses the float64 ops.
    /// </summary>
    public Tensor BernoulliLogProb(Tensor input, Tensor value) => BernoulliLogProb(input, value, detachParameters: false);

    /// <summary>As <see cref="BernoulliLogProb(Tensor, Tensor)"/>, optionally with the weights cut from the graph.</summary>
    internal Tensor BernoulliLogProb(Tensor input, Tensor value, bool detachParameters)
    {
        ArgumentNullException.ThrowIfNull(value);
        CheckLastDimension(input, InputSize);
        if (value.Rank == 0 || value.Dim(-1) != OutputSize)
            throw new ArgumentException($"Mlp '{Name}': the Bernoulli value's last dimension must be the output size {OutputSize}, got shape [{string.Join(", ", value.ShapeArray)}].", nameof(value));
        bool suffix = value.Rank <= input.Rank && input.ShapeArray.AsSpan(input.Rank - value.Rank, value.Rank - 1).SequenceEqual(value.ShapeArray.AsSpan(0, value.Rank - 1));
        if (Precision == Precision.Float32 && input.Count > 0 && suffix && !(value.RequiresGrad && GradMode.IsEnabled))
            return SinglePrecisionDense.ForwardBernoulliLogProb(input, SingleLayers(detachParameters), value);
        return Forward(input, detachParameters).BernoulliLogProb(value).Sum(-1);
    }

    /// <summary>The forward pass, optionally with the weights cut from the graph (DReG's model-parameter stop).</summary>
    internal Tensor Forward(Tensor input, bool detachParameters)
    {
        if (!detachParameters) return Forward(input);
        CheckLastDimension(input, InputSize);
        if (Precision == Precision.Float32 && input.Count > 0) return SinglePrecisionDense.Forward(input, SingleLayers(detachParameters: true));
        var h = input;
        for (int i = 0; i < _layers.Length; i++)
        {
            var layer = _layers[i];
            h = h.Linear(layer.Weight.Value.Detach(), layer.Bias?.Value.Detach());
            if (i < _layers.Length - 1) h = Activation.Forward(h);
        }
        return OutputActivation is null ? h : OutputActivation.Forward(h);
    }

    private Tensor ForwardSingle(Tensor input) => SinglePrecisionDense.Forward(input, SingleLayers(detachParameters: false));

    private SinglePrecisionDense.Layer[] SingleLayers(bool detachParameters)
    {
        var layers = new SinglePrecisionDense.Layer[_layers.Length];
        for (int i = 0; i < layers.Length; i++)
        {
            var activation = i < layers.Length - 1 ? Activation : OutputActivation;
            var weight = _layers[i].Weight.Value;
            var bias = _layers[i].Bias?.Value;
            if (detachParameters) { weight = weight.Detach(); bias = bias?.Detach(); }
            layers[i] = new(weight, bias, activation?.SingleKind ?? Tensors.Kernels.SingleActivation.Identity, activation?.SingleParameter ?? 0f);
        }
        return layers;
    }
}
