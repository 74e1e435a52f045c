using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Nn;

/// <summary>
/// The multihead attention block MAB of the Set Transformer (Lee et al. 2019, "Set Transformer", eq. 6–7):
/// MAB(X, Y) = LayerNorm(H + rFF(H)) with H = LayerNorm(X + Multihead(X, Y, Y)) and rFF a row-wise
/// Linear + ReLU. X [..., n, width], Y [..., m, width], output [..., n, width]. With <c>layerNorm: false</c> the two
/// normalizations are left out (as the authors' code allows).
/// </summary>
public sealed class MultiheadAttentionBlock : Module
{
    private readonly MultiheadAttention _attention;
    private readonly Linear _feedForward;
    private readonly LayerNorm? _norm0, _norm1;

    /// <summary>Creates the block; <paramref name="precision"/> is that of its attention and feed-forward layers (layer norms stay float64).</summary>
    public MultiheadAttentionBlock(string name, int width, int heads, bool layerNorm = true, RandomStream? random = null, Precision precision = Precision.Float64) : base(name)
    {
        _attention = Register(new MultiheadAttention(ChildName("attention"), width, heads, random, precision));
        _feedForward = Register(new Linear(ChildName("feedforward"), width, width, random: random, precision: precision));
        if (layerNorm)
        {
            _norm0 = Register(new LayerNorm(ChildName("norm0"), width));
            _norm1 = Register(new LayerNorm(ChildName("norm1"), width));
        }
        Width = width;
    }

    /// <summary>The set elements' width.</summary>
    public int Width { get; }

    /// <summary>MAB(X, X).</summary>
    public override Tensor Forward(Tensor input) => Forward(input, input);

    /// <summary>MAB(X, Y).</summary>
    public Tensor Forward(Tensor x, Tensor y)
    {
        var h = x + _attention.Forward(x, y, y);
        if (_norm0 is not null) h = _norm0.Forward(h);
        var o = h + _feedForward.Forward(h).Relu();
        return _norm1 is null ? o : _norm1.Forward(o);
    }
}
