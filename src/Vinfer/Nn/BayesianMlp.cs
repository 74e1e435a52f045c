using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Nn;

/// <summary>
/// A multilayer perceptron of <see cref="BayesianLinear"/> layers <c>Name.0</c>, <c>Name.1</c>, … (in → hidden₁ → … →
/// out, an activation after every hidden layer): a network with a mean-field Gaussian over all its weights (Blundell
/// et al., "Weight Uncertainty in Neural Networks", ICML 2015), as the decoder of the Bayesian VAE in Margossian and
/// Blei, "Amortized Variational Inference: When and Why?" (UAI 2024). <see cref="Forward(Tensor, RandomKey)"/> runs the
/// network at one draw of all its weights; <see cref="Forward(Tensor)"/> at their posterior means;
/// <see cref="KullbackLeiblerToPrior"/> sums the layers' closed-form KL terms.
/// </summary>
public sealed class BayesianMlp : Module
{
    private readonly BayesianLinear[] _layers;

    /// <summary>Creates the network.</summary>
    /// <param name="name">The parameter prefix.</param>
    /// <param name="inputSize">The input's last dimension.</param>
    /// <param name="hiddenSizes">The hidden widths (may be empty: one layer); each must be positive.</param>
    /// <param name="outputSize">The output's last dimension.</param>
    /// <param name="activation">The hidden activation.</param>
    /// <param name="initialLogScale">The starting log standard deviation of every weight.</param>
    /// <param name="random">The stream the initial means' keys are taken from.</param>
    public BayesianMlp(string name, int inputSize, IReadOnlyList<int> hiddenSizes, int outputSize, Activation activation,
        double initialLogScale = -5, RandomStream? random = null) : base(name)
    {
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        ArgumentNullException.ThrowIfNull(activation);
        for (int i = 0; i < hiddenSizes.Count; i++)
            if (hiddenSizes[i] <= 0)
                throw new ArgumentOutOfRangeException(nameof(hiddenSizes), hiddenSizes[i], $"BayesianMlp '{name}': hidden size {hiddenSizes[i]} at index {i} must be positive.");
        InputSize = Positive(inputSize, nameof(inputSize), nameof(BayesianMlp), name);
        OutputSize = Positive(outputSize, nameof(outputSize), nameof(BayesianMlp), name);
        Activation = activation;
        _layers = new BayesianLinear[hiddenSizes.Count + 1];
        int width = inputSize;
        for (int i = 0; i < _layers.Length; i++)
        {
            int next = i < hiddenSizes.Count ? hiddenSizes[i] : outputSize;
            _layers[i] = Register(new BayesianLinear(ChildName(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), width, next, initialLogScale, random));
            width = next;
        }
    }

    /// <summary>The input's last dimension.</summary>
    public int InputSize { get; }

    /// <summary>The output's last dimension.</summary>
    public int OutputSize { get; }

    /// <summary>The hidden activation.</summary>
    public Activation Activation { get; }

    /// <summary>The layers, input first.</summary>
    public IReadOnlyList<BayesianLinear> Layers => _layers;

    /// <summary>Number of uncertain scalars (all weights and biases).</summary>
    public int WeightCount => _layers.Sum(l => l.WeightCount);

    /// <summary>The network at the posterior means of its weights.</summary>
    public override Tensor Forward(Tensor input)
    {
        CheckLastDimension(input, InputSize);
        var h = input;
        for (int i = 0; i < _layers.Length; i++)
        {
            h = _layers[i].Forward(h);
            if (i < _layers.Length - 1) h = Activation.Forward(h);
        }
        return h;
    }

    /// <summary>The network at one draw of all its weights (layer i's noise from <paramref name="key"/>'s child i).</summary>
    public Tensor Forward(Tensor input, RandomKey key)
    {
        CheckLastDimension(input, InputSize);
        var h = input;
        for (int i = 0; i < _layers.Length; i++)
        {
            h = _layers[i].Forward(h, key.Child(i));
            if (i < _layers.Length - 1) h = Activation.Forward(h);
        }
        return h;
    }

    /// <summary>KL(q(weights) ‖ N(0, σ₀² I)) over every layer, in closed form (a differentiable scalar).</summary>
    public Tensor KullbackLeiblerToPrior(double priorScale = 1)
    {
        Tensor total = _layers[0].KullbackLeiblerToPrior(priorScale);
        for (int i = 1; i < _layers.Length; i++) total = total + _layers[i].KullbackLeiblerToPrior(priorScale);
        return total;
    }
}
