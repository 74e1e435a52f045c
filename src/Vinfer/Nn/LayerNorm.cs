using Vinfer.Tensors;

namespace Vinfer.Nn;

/// <summary>
/// Layer normalization over the last axis (Ba et al. 2016, "Layer normalization"), PyTorch's <c>nn.LayerNorm</c>:
/// y = (x − mean) / √(var + ε) ⊙ weight + bias, with parameters <c>Name.weight</c> (ones) and <c>Name.bias</c> (zeros).
/// </summary>
public sealed class LayerNorm : Module
{
    /// <summary>Creates the layer for a last axis of size <paramref name="size"/>.</summary>
    public LayerNorm(string name, int size, double epsilon = 1e-5) : base(name)
    {
        Size = Positive(size, nameof(size), nameof(LayerNorm), name);
        if (!(epsilon >= 0) || double.IsInfinity(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"LayerNorm '{name}': epsilon must be finite and ≥ 0, got {epsilon}.");
        Epsilon = epsilon;
        Weight = RegisterParameter("weight", [size], Initializer.Ones, size, size, null);
        Bias = RegisterParameter("bias", [size], Initializer.Zeros, size, size, null);
    }

    /// <summary>The normalized axis's size.</summary>
    public int Size { get; }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <summary>The scale, [size].</summary>
    public ModuleParameter Weight { get; }

    /// <summary>The shift, [size].</summary>
    public ModuleParameter Bias { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        CheckLastDimension(input, Size);
        return input.LayerNorm(Weight.Value, Bias.Value, Epsilon);
    }
}
