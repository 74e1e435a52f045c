using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Nn;

/// <summary>
/// Multi-head attention (Vaswani et al. 2017, "Attention is all you need"), PyTorch's <c>nn.MultiheadAttention</c>
/// with batch-first inputs: MultiHead(Q, K, V) = Concat(head₁…head_h)·W_Oᵀ + b_O with
/// headᵢ = softmax(Q W_Q,iᵀ (K W_K,iᵀ)ᵀ / √d)·V W_V,iᵀ. Inputs [..., nq, width] and [..., nk, width] (equal leading
/// dimensions), output [..., nq, width]. Projections <c>Name.query</c>, <c>Name.key</c>, <c>Name.value</c>,
/// <c>Name.output</c> are <see cref="Linear"/> layers; the attention itself is one op (<see cref="Tensor.Attention"/>).
/// </summary>
public sealed class MultiheadAttention : Module
{
    private readonly Linear _query, _key, _value, _output;

    /// <summary>
    /// Creates the layer; <paramref name="width"/> must be a multiple of <paramref name="heads"/>. <paramref name="precision"/>
    /// chooses the arithmetic of the projections and of the attention itself (<see cref="Nn.Precision"/>, float64 by default).
    /// </summary>
    public MultiheadAttention(string name, int width, int heads, RandomStream? random = null, Precision precision = Precision.Float64) : base(name)
    {
        Precision = CheckPrecision(precision, nameof(MultiheadAttention), name);
        Width = Positive(width, nameof(width), nameof(MultiheadAttention), name);
        Heads = Positive(heads, nameof(heads), nameof(MultiheadAttention), name);
        if (width % heads != 0)
            throw new ArgumentException($"MultiheadAttention '{name}': width {width} is not a multiple of heads {heads}.", nameof(heads));
        _query = Register(new Linear(ChildName("query"), width, width, random: random, weightInit: Initializer.XavierUniform(), biasInit: Initializer.Zeros, precision: precision));
        _key = Register(new Linear(ChildName("key"), width, width, random: random, weightInit: Initializer.XavierUniform(), biasInit: Initializer.Zeros, precision: precision));
        _value = Register(new Linear(ChildName("value"), width, width, random: random, weightInit: Initializer.XavierUniform(), biasInit: Initializer.Zeros, precision: precision));
        _output = Register(new Linear(ChildName("output"), width, width, random: random, biasInit: Initializer.Zeros, precision: precision));
    }

    /// <summary>The arithmetic the layer computes in.</summary>
    public Precision Precision { get; }

    /// <summary>The model width (query, key, value and output size).</summary>
    public int Width { get; }

    /// <summary>The number of heads.</summary>
    public int Heads { get; }

    /// <summary>Self-attention: queries, keys and values are all the input.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, input, input);

    /// <summary>Attention of <paramref name="query"/> over <paramref name="key"/>/<paramref name="value"/>.</summary>
    public Tensor Forward(Tensor query, Tensor key, Tensor value)
    {
        CheckLastDimension(query, Width, "query");
        CheckLastDimension(key, Width, "key");
        CheckLastDimension(value, Width, "value");
        if (query.Rank < 2 || key.Rank != query.Rank || value.Rank != query.Rank || !query.Shape[..^2].SequenceEqual(key.Shape[..^2]) || !key.Shape[..^1].SequenceEqual(value.Shape[..^1]))
            throw new ArgumentException($"MultiheadAttention '{Name}': query {Format(query.Shape)}, key {Format(key.Shape)} and value {Format(value.Shape)} must be [..., n, {Width}] with equal leading dimensions (and as many keys as values).");
        var q = _query.Forward(query);
        var k = ReferenceEquals(key, query) ? _key.Forward(query) : _key.Forward(key);
        var v = _value.Forward(value);
        return _output.Forward(Precision == Precision.Float32 ? q.AttentionSingle(k, v, Heads) : q.Attention(k, v, Heads));
    }
}
