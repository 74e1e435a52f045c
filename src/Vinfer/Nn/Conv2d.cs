using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Nn;

/// <summary>
/// A 2-D convolution layer (LeCun et al. 1998), PyTorch's <c>nn.Conv2d</c> with square kernels: input
/// [N, C, H, W], output [N, O, Ho, Wo], computed by im2col and the engine's GEMM (<see cref="Tensor.Conv2d"/>).
/// Parameters <c>Name.weight</c> [O, C, k, k] and <c>Name.bias</c> [O], initialized as PyTorch does (fan-in C·k²).
/// </summary>
public sealed class Conv2d : Module
{
    /// <summary>Creates the layer; <paramref name="precision"/> chooses its arithmetic (<see cref="Nn.Precision"/>, float64 by default).</summary>
    public Conv2d(string name, int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, bool bias = true, RandomStream? random = null,
        Precision precision = Precision.Float64) : base(name)
    {
        Precision = CheckPrecision(precision, nameof(Conv2d), name);
        InChannels = Positive(inChannels, nameof(inChannels), nameof(Conv2d), name);
        OutChannels = Positive(outChannels, nameof(outChannels), nameof(Conv2d), name);
        KernelSize = Positive(kernelSize, nameof(kernelSize), nameof(Conv2d), name);
        Stride = Positive(stride, nameof(stride), nameof(Conv2d), name);
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), padding, $"Conv2d '{name}': padding must be ≥ 0, got {padding}.");
        Padding = padding;
        int fanIn = inChannels * kernelSize * kernelSize, fanOut = outChannels * kernelSize * kernelSize;
        Weight = RegisterParameter("weight", [outChannels, inChannels, kernelSize, kernelSize], Initializer.KaimingUniform(Math.Sqrt(5)), fanIn, fanOut, random);
        Bias = bias ? RegisterParameter("bias", [outChannels], Initializer.FanInUniform, fanIn, fanOut, random) : null;
    }

    /// <summary>The arithmetic the layer computes in.</summary>
    public Precision Precision { get; }

    /// <summary>C.</summary>
    public int InChannels { get; }

    /// <summary>O.</summary>
    public int OutChannels { get; }

    /// <summary>k (the kernel is k×k).</summary>
    public int KernelSize { get; }

    /// <summary>The step between receptive fields.</summary>
    public int Stride { get; }

    /// <summary>Zero padding on each side.</summary>
    public int Padding { get; }

    /// <summary>The weight, [O, C, k, k].</summary>
    public ModuleParameter Weight { get; }

    /// <summary>The bias, [O], or null.</summary>
    public ModuleParameter? Bias { get; }

    /// <summary>The output's spatial size for an input of size <paramref name="inputSize"/>.</summary>
    public int OutputSize(int inputSize) => (inputSize + 2 * Padding - KernelSize) / Stride + 1;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Dim(1) != InChannels)
            throw new ArgumentException($"Conv2d '{Name}': expected input [N, {InChannels}, H, W], got shape {Format(input.Shape)}.", nameof(input));
        if (input.Dim(2) + 2 * Padding < KernelSize || input.Dim(3) + 2 * Padding < KernelSize)
            throw new ArgumentException($"Conv2d '{Name}': input {Format(input.Shape)} is smaller than the {KernelSize}×{KernelSize} kernel (padding {Padding}).", nameof(input));
        return Precision == Precision.Float32
            ? input.Conv2dSingle(Weight.Value, Bias?.Value, Stride, Padding)
            : input.Conv2d(Weight.Value, Bias?.Value, Stride, Padding);
    }
}
