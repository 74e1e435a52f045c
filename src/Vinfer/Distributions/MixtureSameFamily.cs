using Vinfer.Random;
using Vinfer.Tensors;

using Vinfer.Tensors.Kernels;

namespace Vinfer.Distributions;

/// <summary>
/// A finite mixture whose K components are the rightmost batch dimension of one distribution (PyTorch's
/// MixtureSameFamily): log p(x) = logsumexp_k (log wₖ + log pₖ(x)). Sampling picks a component per draw; there is
/// no reparameterized sampler (the component choice is discrete).
/// </summary>
public sealed class MixtureSameFamily : Distribution
{
    /// <summary>Mixes <paramref name="components"/> (batch [..., K]) with weights from <paramref name="mixture"/> (batch [...], K categories).</summary>
    public MixtureSameFamily(Categorical mixture, Distribution components, bool? validateArgs = null)
        : base(Check(mixture, components), components.EventShape, validateArgs)
    {
        Mixture = mixture; Components = components;
    }

    private static int[] Check(Categorical mixture, Distribution components)
    {
        var cb = components.BatchShape;
        if (cb.Length == 0 || cb[^1] != mixture.Categories)
            throw new ArgumentException($"MixtureSameFamily: the components' batch shape {Shapes.Format(cb)} must end in the mixture's {mixture.Categories} categories.");
        try { return Shapes.Broadcast(mixture.BatchShape, cb[..^1]); }
        catch (ArgumentException) { throw new ArgumentException($"MixtureSameFamily: mixture batch {Shapes.Format(mixture.BatchShape)} and component batch {Shapes.Format(cb)} do not broadcast."); }
    }

    /// <summary>The mixing distribution.</summary>
    public Categorical Mixture { get; }

    /// <summary>The component distributions (batch [..., K]).</summary>
    public Distribution Components { get; }

    /// <inheritdoc />
    public override Constraint Support => Components.Support;

    /// <inheritdoc />
    public override Tensor LogProb(Tensor value)
    {
        int e = EventShape.Length;
        var x = value.Unsqueeze(value.Rank - e);
        var lp = Components.LogProb(x) + Mixture.LogitsNormalized;
        return lp.LogSumExp(-1);
    }

    /// <inheritdoc />
    public override Tensor Sample(RandomStream rng, params int[] sampleShape)
    {
        int k = Mixture.Categories;
        int[] outShape = ExtendedShape(sampleShape);
        var idx = Mixture.Expand(BatchShape).Sample(rng, sampleShape);
        var all = Components.Expand([.. BatchShape, k]).Sample(rng, sampleShape); // [S, B, K, E]
        int eventSize = Shapes.Count(EventShape);
        var r = Tensor.Uninitialized(outShape);
        var a = all.Span; var ix = idx.Span; var rs = r.Span;
        for (int i = 0; i < ix.Length; i++)
            a.Slice((i * k + (int)ix[i]) * eventSize, eventSize).CopyTo(rs.Slice(i * eventSize, eventSize));
        return r;
    }

    private Tensor Weights()
    {
        var w = Mixture.Probs;
        for (int i = 0; i < EventShape.Length; i++) w = w.Unsqueeze(-1);
        return w;
    }

    /// <summary>Σₖ wₖ μₖ.</summary>
    public override Tensor Mean => (Weights() * Components.Mean).Sum(-1 - EventShape.Length);

    /// <summary>Σₖ wₖ (σₖ² + μₖ²) − μ² (law of total variance).</summary>
    public override Tensor Variance
    {
        get
        {
            var w = Weights(); var m = Components.Mean;
            var mean = (w * m).Sum(-1 - EventShape.Length);
            return (w * (Components.Variance + m.Square())).Sum(-1 - EventShape.Length) - mean.Square();
        }
    }
}
