using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Nn;

/// <summary>
/// Pooling by multihead attention PMA_k(Z) = MAB(S, rFF(Z)) of the Set Transformer (Lee et al. 2019, eq. 11): k
/// learned seed vectors S (<c>Name.seeds</c>, [k, width]) attend over the set, giving a permutation-invariant
/// summary. Input [..., n, width], output [..., k, width].
/// </summary>
public sealed class PoolingByMultiheadAttention : Module
{
    private readonly MultiheadAttentionBlock _block;
    private readonly Linear _feedForward;

    /// <summary>Creates the block with <paramref name="seeds"/> seed vectors.</summary>
    public PoolingByMultiheadAttention(string name, int width, int heads, int seeds = 1, bool layerNorm = true, RandomStream? random = null,
        Precision precision = Precision.Float64) : base(name)
    {
        Seeds = Positive(seeds, nameof(seeds), nameof(PoolingByMultiheadAttention), name);
        Width = Positive(width, nameof(width), nameof(PoolingByMultiheadAttention), name);
        SeedVectors = RegisterParameter("seeds", [seeds, width], Initializer.XavierUniform(), width, seeds, random);
        _feedForward = Register(new Linear(ChildName("feedforward"), width, width, random: random));
        _block = Register(new MultiheadAttentionBlock(ChildName("mab"), width, heads, layerNorm, random, precision));
    }

    /// <summary>k.</summary>
    public int Seeds { get; }

    /// <summary>The elements' width.</summary>
    public int Width { get; }

    /// <summary>The seeds S, [k, width].</summary>
    public ModuleParameter SeedVectors { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        CheckLastDimension(input, Width);
        if (input.Rank < 2) throw new ArgumentException($"PoolingByMultiheadAttention '{Name}': input must be [..., n, {Width}], got shape {Format(input.Shape)}.", nameof(input));
        var z = _feedForward.Forward(input).Relu();
        var shape = input.Shape.ToArray();
        shape[^2] = Seeds;
        var seeds = input.Rank == 2 ? SeedVectors.Value : SeedVectors.Value.Expand(shape);
        return _block.Forward(seeds, z);
    }
}
