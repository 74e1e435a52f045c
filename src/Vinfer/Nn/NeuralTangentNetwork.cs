using Vinfer.Modeling;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Nn;

/// <summary>
/// A one-hidden-layer ReLU network without biases in the neural-tangent-kernel parameterization,
/// f(x) = W₂ ReLU(W₁ x) / √p with W₁ [p, d] ∼ N(0, 1) and W₂ [k, p] = 0 at initialization (Jacot, Gabriel and Hongler,
/// "Neural Tangent Kernel", NeurIPS 2018; the setting of McNamara, Loper and Regier, "Globally Convergent Variational
/// Inference", NeurIPS 2024, §4). As the width p grows, training by gradient descent stays ever closer to the
/// network's linearization around its initialization (<see cref="LinearizedNeuralTangentNetwork"/>), and the
/// Jacobian J(x; φ) = ∂f(x; φ)/∂φ (<see cref="Jacobian"/>) drifts less from its initial value.
/// </summary>
public sealed class NeuralTangentNetwork : Module
{
    /// <summary>
    /// Creates the network; <paramref name="random"/> keys the initial values. W₂ starts at zero unless
    /// <paramref name="outputWeightInit"/> says otherwise.
    /// </summary>
    public NeuralTangentNetwork(string name, int inputSize, int width, int outputSize, RandomStream? random = null, Initializer? outputWeightInit = null) : base(name)
    {
        InputSize = Positive(inputSize, nameof(inputSize), nameof(NeuralTangentNetwork), name);
        Width = Positive(width, nameof(width), nameof(NeuralTangentNetwork), name);
        OutputSize = Positive(outputSize, nameof(outputSize), nameof(NeuralTangentNetwork), name);
        InputWeight = RegisterParameter("input_weight", [width, inputSize], Initializer.Normal(0, 1), inputSize, width, random);
        OutputWeight = RegisterParameter("output_weight", [outputSize, width], outputWeightInit ?? Initializer.Zeros, width, outputSize, random);
    }

    /// <summary>d.</summary>
    public int InputSize { get; }

    /// <summary>p, the hidden width.</summary>
    public int Width { get; }

    /// <summary>k.</summary>
    public int OutputSize { get; }

    /// <summary>W₁ [p, d].</summary>
    public ModuleParameter InputWeight { get; }

    /// <summary>W₂ [k, p].</summary>
    public ModuleParameter OutputWeight { get; }

    /// <summary>Number of parameters, p·d + k·p: the columns of <see cref="Jacobian"/> (W₁ row-major, then W₂).</summary>
    public int ParameterLength => Width * (InputSize + OutputSize);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        CheckLastDimension(input, InputSize);
        return input.Linear(InputWeight.Value).Relu().Linear(OutputWeight.Value) * (1 / Math.Sqrt(Width));
    }

    /// <summary>
    /// J(x; φ) = ∂f(x; φ)/∂φ for inputs x [N, d] at the parameters in <paramref name="store"/> (the current store by
    /// default), as an [N·k, p·d + k·p] matrix, row n·k + o for output o of input n, in closed form:
    /// ∂f_o/∂W₂[o, j] = ReLU(h_j)/√p, ∂f_o/∂W₁[j, i] = W₂[o, j]·1[h_j &gt; 0]·x_i/√p, h = W₁x.
    /// </summary>
    public Tensor Jacobian(Tensor inputs, ParamStore? store = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Rank != 2 || inputs.Shape[1] != InputSize)
            throw new ArgumentException($"NeuralTangentNetwork.Jacobian: inputs have shape {Format(inputs.ShapeArray)}, expected [N, {InputSize}].", nameof(inputs));
        var s = store ?? ParamStore.Current;
        var w1 = InputWeight.Leaf(s).Span; var w2 = OutputWeight.Leaf(s).Span; var x = inputs.Span;
        int n = inputs.Shape[0], d = InputSize, p = Width, k = OutputSize, columns = ParameterLength;
        double scale = 1 / Math.Sqrt(p);
        var jacobian = new double[n * k * columns];
        for (int row = 0; row < n; row++)
            for (int j = 0; j < p; j++)
            {
                double h = 0;
                for (int i = 0; i < d; i++) h += w1[j * d + i] * x[row * d + i];
                if (h <= 0) continue;
                for (int o = 0; o < k; o++)
                {
                    int offset = (row * k + o) * columns;
                    jacobian[offset + p * d + o * p + j] = h * scale;
                    double gate = w2[o * p + j] * scale;
                    for (int i = 0; i < d; i++) jacobian[offset + j * d + i] = gate * x[row * d + i];
                }
            }
        return Tensor.Wrap(jacobian, n * k, columns);
    }
}
