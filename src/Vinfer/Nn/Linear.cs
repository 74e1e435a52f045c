using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Nn;

/// <summary>
/// A dense layer y = x·Wᵀ + b (PyTorch's <c>nn.Linear</c>): input [..., in] with any leading dimensions, output
/// [..., out]. Parameters <c>Name.weight</c> [out, in] and <c>Name.bias</c> [out], initialized by default as PyTorch
/// does (Kaiming uniform with a = √5 for the weight, U(±1/√in) for the bias).
/// </summary>
public sealed class Linear : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="name">The parameter prefix (for example <c>encoder.0</c>).</param>
    /// <param name="inputSize">in, the input's last dimension.</param>
    /// <param name="outputSize">out, the output's last dimension.</param>
    /// <param name="bias">Whether to add a bias.</param>
    /// <param name="random">The stream the initial values' keys are taken from (null: keys derived from the names).</param>
    /// <param name="weightInit">The weight's initializer (default Kaiming uniform, a = √5).</param>
    /// <param name="biasInit">The bias's initializer (default U(±1/√in)).</param>
    /// <param name="precision">The arithmetic of the product (<see cref="Precision"/>; float64 by default).</param>
    public Linear(string name, int inputSize, int outputSize, bool bias = true, RandomStream? random = null,
        Initializer? weightInit = null, Initializer? biasInit = null, Precision precision = Precision.Float64) : base(name)
    {
        Precision = CheckPrecision(precision, nameof(Linear), name);
        InputSize = Positive(inputSize, nameof(inputSize), nameof(Linear), name);
        OutputSize = Positive(outputSize, nameof(outputSize), nameof(Linear), name);
        Weight = RegisterParameter("weight", [outputSize, inputSize], weightInit ?? Initializer.KaimingUniform(Math.Sqrt(5)), inputSize, outputSize, random);
        Bias = bias ? RegisterParameter("bias", [outputSize], biasInit ?? Initializer.FanInUniform, inputSize, outputSize, random) : null;
    }

    /// <summary>in.</summary>
    public int InputSize { get; }

    /// <summary>out.</summary>
    public int OutputSize { get; }

    /// <summary>The arithmetic the layer computes in.</summary>
    public Precision Precision { get; }

    /// <summary>The weight W, [out, in].</summary>
    public ModuleParameter Weight { get; }

    /// <summary>The bias b, [out], or null.</summary>
    public ModuleParameter? Bias { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        CheckLastDimension(input, InputSize);
        if (Precision == Precision.Float32 && input.Count > 0)
            return SinglePrecisionDense.Forward(input, [new(Weight.Value, Bias?.Value, Tensors.Kernels.SingleActivation.Identity, 0f)]);
        return input.Linear(Weight.Value, Bias?.Value);
    }
}
