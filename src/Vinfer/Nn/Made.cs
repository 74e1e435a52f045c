using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Nn;

/// <summary>
/// MADE, the masked autoencoder for distribution estimation (Germain et al. 2015): an MLP of <see cref="MaskedLinear"/>
/// layers whose outputs are autoregressive in the inputs. For D inputs and P outputs per input, the output
/// [..., P·D] holds P blocks of D (output p·D + d belongs to input d), and output d depends only on the inputs that
/// come before d in the ordering — its Jacobian with respect to input d and every later input is exactly zero. This is
/// the conditioner of inverse and masked autoregressive flows (IAF, Kingma et al. 2016; MAF, Papamakarios et al. 2017),
/// with P = 2 for a shift and a log-scale, or more for spline parameters.
/// </summary>
/// <remarks>
/// Degrees as in the paper: input d has degree m(d) = order[d] + 1 ∈ {1…D}; hidden unit k of a layer of width H gets
/// m(k) = 1 + ⌊k(D − 1)/H⌋, spread evenly over {1…D−1} (every degree is present when H ≥ D − 1, otherwise some
/// outputs see fewer inputs than they could; with D = 1 hidden degrees are 0); a hidden connection needs
/// m(k) ≥ m(previous unit), an output connection m(output) &gt; m(last hidden unit). Optional context inputs
/// (a conditional MADE) have degree 0 and reach every hidden unit; then hidden degrees spread over {0…D−1},
/// m(k) = ⌊kD/H⌋, so that the first output too is a function of the context (with degrees from 1 it would be a constant).
/// </remarks>
public sealed class Made : Module
{
    private readonly MaskedLinear[] _layers;
    private readonly int[] _inputDegrees;

    /// <summary>Creates the network.</summary>
    /// <param name="name">The parameter prefix.</param>
    /// <param name="inputSize">D, the number of autoregressive inputs.</param>
    /// <param name="hiddenSizes">The hidden widths (each positive; may be empty).</param>
    /// <param name="outputsPerInput">P, the number of outputs per input.</param>
    /// <param name="activation">The hidden activation (default ReLU).</param>
    /// <param name="order">The autoregressive order: input d is the order[d]-th (0-based; a permutation of 0…D−1). Default 0, 1, …, D−1.</param>
    /// <param name="contextSize">Extra conditioning inputs appended after the D inputs (default none).</param>
    /// <param name="random">The stream the initial values' keys are taken from (null: keys derived from the names).</param>
    public Made(string name, int inputSize, IReadOnlyList<int> hiddenSizes, int outputsPerInput = 1, Activation? activation = null,
        IReadOnlyList<int>? order = null, int contextSize = 0, RandomStream? random = null) : base(name)
    {
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        int d = Positive(inputSize, nameof(inputSize), nameof(Made), name);
        Positive(outputsPerInput, nameof(outputsPerInput), nameof(Made), name);
        if (contextSize < 0) throw new ArgumentOutOfRangeException(nameof(contextSize), contextSize, $"Made '{name}': contextSize must be ≥ 0, got {contextSize}.");
        for (int i = 0; i < hiddenSizes.Count; i++)
            if (hiddenSizes[i] <= 0)
                throw new ArgumentOutOfRangeException(nameof(hiddenSizes), hiddenSizes[i],
                    $"Made '{name}': hidden size {hiddenSizes[i]} at index {i} must be positive (hidden sizes: [{string.Join(", ", hiddenSizes)}]).");
        InputSize = d;
        OutputsPerInput = outputsPerInput;
        ContextSize = contextSize;
        HiddenSizes = [.. hiddenSizes];
        Activation = activation ?? Activation.Relu;

        _inputDegrees = new int[d];
        if (order is null) for (int i = 0; i < d; i++) _inputDegrees[i] = i + 1;
        else
        {
            if (order.Count != d) throw new ArgumentException($"Made '{name}': order has {order.Count} entries, expected {d}.", nameof(order));
            var seen = new bool[d];
            for (int i = 0; i < d; i++)
            {
                int o = order[i];
                if (o < 0 || o >= d || seen[o]) throw new ArgumentException($"Made '{name}': order [{string.Join(", ", order)}] is not a permutation of 0…{d - 1}.", nameof(order));
                seen[o] = true;
                _inputDegrees[i] = o + 1;
            }
        }

        // degrees of the previous layer's units: the inputs, then the context (degree 0)
        var previous = new int[d + contextSize];
        Array.Copy(_inputDegrees, previous, d);
        _layers = new MaskedLinear[hiddenSizes.Count + 1];
        for (int l = 0; l < hiddenSizes.Count; l++)
        {
            int h = hiddenSizes[l];
            var degrees = new int[h];
            for (int k = 0; k < h; k++)
                degrees[k] = contextSize > 0 ? (int)((long)k * d / h) : d == 1 ? 0 : 1 + (int)((long)k * (d - 1) / h);
            var mask = new double[h, previous.Length];
            for (int k = 0; k < h; k++)
                for (int j = 0; j < previous.Length; j++) mask[k, j] = degrees[k] >= previous[j] ? 1 : 0;
            _layers[l] = Register(new MaskedLinear(ChildName(l.ToString(System.Globalization.CultureInfo.InvariantCulture)), previous.Length, h, mask, random: random));
            previous = degrees;
        }
        int outputs = outputsPerInput * d;
        var outMask = new double[outputs, previous.Length];
        for (int o = 0; o < outputs; o++)
            for (int j = 0; j < previous.Length; j++) outMask[o, j] = _inputDegrees[o % d] > previous[j] ? 1 : 0;
        _layers[^1] = Register(new MaskedLinear(ChildName(hiddenSizes.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)), previous.Length, outputs, outMask, random: random));
    }

    /// <summary>D.</summary>
    public int InputSize { get; }

    /// <summary>P.</summary>
    public int OutputsPerInput { get; }

    /// <summary>The number of context inputs.</summary>
    public int ContextSize { get; }

    /// <summary>The hidden widths.</summary>
    public IReadOnlyList<int> HiddenSizes { get; }

    /// <summary>The hidden activation.</summary>
    public Activation Activation { get; }

    /// <summary>The degree m(d) ∈ {1…D} of each input.</summary>
    public IReadOnlyList<int> InputDegrees => _inputDegrees;

    /// <summary>The masked layers, input first.</summary>
    public IReadOnlyList<MaskedLinear> Layers => _layers;

    /// <summary>The outputs [..., P·D] for inputs [..., D] (a MADE without context).</summary>
    public override Tensor Forward(Tensor input)
    {
        if (ContextSize > 0)
            throw new InvalidOperationException($"Made '{Name}': this network takes {ContextSize} context inputs; call Forward(input, context).");
        return Run(input);
    }

    /// <summary>The outputs [..., P·D] for inputs [..., D] and context [..., C] (leading dimensions equal).</summary>
    public Tensor Forward(Tensor input, Tensor context)
    {
        ArgumentNullException.ThrowIfNull(context);
        CheckLastDimension(input, InputSize);
        CheckLastDimension(context, ContextSize, "context");
        if (!input.Shape[..^1].SequenceEqual(context.Shape[..^1]))
            throw new ArgumentException($"Made '{Name}': input {Format(input.Shape)} and context {Format(context.Shape)} differ in their leading dimensions.", nameof(context));
        return Run(Tensor.Concat(-1, input, context), withContext: true);
    }

    /// <summary>The P output blocks, each [..., D] (for example shift and log-scale with P = 2).</summary>
    public Tensor[] ForwardParts(Tensor input) => Split(Forward(input));

    /// <summary>The P output blocks, each [..., D], of a conditional MADE.</summary>
    public Tensor[] ForwardParts(Tensor input, Tensor context) => Split(Forward(input, context));

    private Tensor[] Split(Tensor output)
    {
        if (OutputsPerInput == 1) return [output];
        var parts = new Tensor[OutputsPerInput];
        for (int p = 0; p < parts.Length; p++) parts[p] = output.Narrow(-1, p * InputSize, InputSize);
        return parts;
    }

    private Tensor Run(Tensor input, bool withContext = false)
    {
        if (!withContext) CheckLastDimension(input, InputSize);
        var h = input;
        for (int l = 0; l < _layers.Length; l++)
        {
            h = _layers[l].Forward(h);
            if (l < _layers.Length - 1) h = Activation.Forward(h);
        }
        return h;
    }
}
