using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Nn;

/// <summary>
/// The set attention block SAB(X) = MAB(X, X) of the Set Transformer (Lee et al. 2019, eq. 8): self-attention among
/// the elements of a set, permutation-equivariant. Input and output [..., n, width]; cost O(n²) per set.
/// </summary>
public sealed class SetAttentionBlock : Module
{
    private readonly MultiheadAttentionBlock _block;

    /// <summary>Creates the block; <paramref name="precision"/> as in <see cref="MultiheadAttentionBlock"/>.</summary>
    public SetAttentionBlock(string name, int width, int heads, bool layerNorm = true, RandomStream? random = null, Precision precision = Precision.Float64) : base(name)
        => _block = Register(new MultiheadAttentionBlock(ChildName("mab"), width, heads, layerNorm, random, precision));

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => _block.Forward(input, input);
}
