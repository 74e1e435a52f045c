using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Nn;

/// <summary>
/// A dense layer y = x·Wᵀ + b whose weights and biases are uncertain: each has its own Gaussian
/// q(w) = N(μ, exp(s)²) (mean-field, Blundell, Cornebise, Kavukcuoglu and Wierstra, "Weight Uncertainty in Neural
/// Networks", ICML 2015), against a prior N(0, σ₀²) on every weight. <see cref="Forward(Tensor, RandomKey)"/> draws
/// one set of weights by reparameterization (W = μ + exp(s)·ε, shared by every row of the input) and applies it;
/// <see cref="Forward(Tensor)"/> applies the posterior means. <see cref="KullbackLeiblerToPrior"/> is
/// KL(q ‖ prior) in closed form. Parameters: <c>Name.weight_loc</c>, <c>Name.weight_log_scale</c> [out, in],
/// <c>Name.bias_loc</c>, <c>Name.bias_log_scale</c> [out]; the means start as <see cref="Linear"/>'s weights do
/// (PyTorch's initialization), the log-scales at a constant.
/// </summary>
public sealed class BayesianLinear : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="name">The parameter prefix.</param>
    /// <param name="inputSize">in, the input's last dimension.</param>
    /// <param name="outputSize">out, the output's last dimension.</param>
    /// <param name="initialLogScale">The starting log standard deviation of every weight and bias.</param>
    /// <param name="random">The stream the initial means' keys are taken from (null: keys derived from the names).</param>
    public BayesianLinear(string name, int inputSize, int outputSize, double initialLogScale = -5, RandomStream? random = null) : base(name)
    {
        InputSize = Positive(inputSize, nameof(inputSize), nameof(BayesianLinear), name);
        OutputSize = Positive(outputSize, nameof(outputSize), nameof(BayesianLinear), name);
        if (!double.IsFinite(initialLogScale))
            throw new ArgumentOutOfRangeException(nameof(initialLogScale), initialLogScale, $"BayesianLinear '{name}': the initial log-scale must be finite.");
        WeightLoc = RegisterParameter("weight_loc", [outputSize, inputSize], Initializer.KaimingUniform(Math.Sqrt(5)), inputSize, outputSize, random);
        WeightLogScale = RegisterParameter("weight_log_scale", [outputSize, inputSize], Initializer.Constant(initialLogScale), inputSize, outputSize, random);
        BiasLoc = RegisterParameter("bias_loc", [outputSize], Initializer.FanInUniform, inputSize, outputSize, random);
        BiasLogScale = RegisterParameter("bias_log_scale", [outputSize], Initializer.Constant(initialLogScale), inputSize, outputSize, random);
    }

    /// <summary>in.</summary>
    public int InputSize { get; }

    /// <summary>out.</summary>
    public int OutputSize { get; }

    /// <summary>The weights' means μ_W, [out, in].</summary>
    public ModuleParameter WeightLoc { get; }

    /// <summary>The weights' log standard deviations, [out, in].</summary>
    public ModuleParameter WeightLogScale { get; }

    /// <summary>The biases' means, [out].</summary>
    public ModuleParameter BiasLoc { get; }

    /// <summary>The biases' log standard deviations, [out].</summary>
    public ModuleParameter BiasLogScale { get; }

    /// <summary>Number of uncertain scalars (weights and biases).</summary>
    public int WeightCount => OutputSize * (InputSize + 1);

    /// <summary>The layer at its posterior means: x·μ_Wᵀ + μ_b.</summary>
    public override Tensor Forward(Tensor input)
    {
        CheckLastDimension(input, InputSize);
        return input.Linear(WeightLoc.Value, BiasLoc.Value);
    }

    /// <summary>
    /// The layer at one draw of its weights, W = μ_W + exp(s_W)·ε and b = μ_b + exp(s_b)·ε', the standard normal noise
    /// taken from <paramref name="key"/> (children 0 and 1); the same draw serves every row of the input.
    /// </summary>
    public Tensor Forward(Tensor input, RandomKey key)
    {
        CheckLastDimension(input, InputSize);
        var weightNoise = Tensor.Zeros(OutputSize, InputSize);
        Sample.Normal(key.Child(0), weightNoise.Span);
        var biasNoise = Tensor.Zeros(OutputSize);
        Sample.Normal(key.Child(1), biasNoise.Span);
        var weight = WeightLoc.Value + WeightLogScale.Value.Exp() * weightNoise;
        var bias = BiasLoc.Value + BiasLogScale.Value.Exp() * biasNoise;
        return input.Linear(weight, bias);
    }

    /// <summary>
    /// KL(q ‖ N(0, σ₀²)) summed over every weight and bias, in closed form:
    /// Σ [log σ₀ − s + (exp(2s) + μ²)/(2σ₀²) − ½]. A scalar, differentiable in the four parameters.
    /// </summary>
    public Tensor KullbackLeiblerToPrior(double priorScale = 1)
    {
        if (!(priorScale > 0 && double.IsFinite(priorScale)))
            throw new ArgumentOutOfRangeException(nameof(priorScale), priorScale, $"BayesianLinear '{Name}': the prior scale must be positive and finite.");
        return Divergence(WeightLoc.Value, WeightLogScale.Value, priorScale) + Divergence(BiasLoc.Value, BiasLogScale.Value, priorScale);
    }

    private static Tensor Divergence(Tensor loc, Tensor logScale, double priorScale)
    {
        double inverseVariance = 1 / (priorScale * priorScale);
        return ((logScale * 2).Exp() + loc.Square()).Sum() * (0.5 * inverseVariance) - logScale.Sum()
            + loc.Count * (Math.Log(priorScale) - 0.5);
    }
}
