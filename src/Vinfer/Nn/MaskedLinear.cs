using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Nn;

/// <summary>
/// A dense layer whose weight is multiplied elementwise by a fixed 0/1 mask, y = x·(W ⊙ M)ᵀ + b: the building block
/// of MADE (Germain et al. 2015, "MADE: Masked autoencoder for distribution estimation"). A zero in M[o, i] cuts
/// input i from output o exactly (its weight never reaches the output, and its gradient is zero).
/// </summary>
public sealed class MaskedLinear : Module
{
    private readonly Tensor _mask;

    /// <summary>Creates the layer with mask <paramref name="mask"/> of shape [out, in] (entries 0 or 1).</summary>
    public MaskedLinear(string name, int inputSize, int outputSize, double[,] mask, bool bias = true, RandomStream? random = null) : base(name)
    {
        ArgumentNullException.ThrowIfNull(mask);
        InputSize = Positive(inputSize, nameof(inputSize), nameof(MaskedLinear), name);
        OutputSize = Positive(outputSize, nameof(outputSize), nameof(MaskedLinear), name);
        if (mask.GetLength(0) != outputSize || mask.GetLength(1) != inputSize)
            throw new ArgumentException($"MaskedLinear '{name}': mask is {mask.GetLength(0)}×{mask.GetLength(1)}, expected {outputSize}×{inputSize} (out × in).", nameof(mask));
        var values = new double[outputSize * inputSize];
        for (int o = 0; o < outputSize; o++)
            for (int i = 0; i < inputSize; i++)
            {
                double m = mask[o, i];
                if (m != 0 && m != 1) throw new ArgumentException($"MaskedLinear '{name}': mask[{o}, {i}] = {m}; entries must be 0 or 1.", nameof(mask));
                values[o * inputSize + i] = m;
            }
        _mask = Tensor.Wrap(values, outputSize, inputSize);
        Weight = RegisterParameter("weight", [outputSize, inputSize], Initializer.KaimingUniform(Math.Sqrt(5)), inputSize, outputSize, random);
        Bias = bias ? RegisterParameter("bias", [outputSize], Initializer.FanInUniform, inputSize, outputSize, random) : null;
    }

    /// <summary>in.</summary>
    public int InputSize { get; }

    /// <summary>out.</summary>
    public int OutputSize { get; }

    /// <summary>The weight W, [out, in] (the mask is applied in <see cref="Forward"/>).</summary>
    public ModuleParameter Weight { get; }

    /// <summary>The bias, or null.</summary>
    public ModuleParameter? Bias { get; }

    /// <summary>The mask M[o, i] (a copy).</summary>
    public double[,] Mask
    {
        get
        {
            var m = new double[OutputSize, InputSize];
            var s = _mask.Span;
            for (int o = 0; o < OutputSize; o++)
                for (int i = 0; i < InputSize; i++) m[o, i] = s[o * InputSize + i];
            return m;
        }
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        CheckLastDimension(input, InputSize);
        return input.Linear(Weight.Value * _mask, Bias?.Value);
    }
}
