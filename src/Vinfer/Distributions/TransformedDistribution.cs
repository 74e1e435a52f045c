using Vinfer.Random;
using Vinfer.Tensors;

using Vinfer.Tensors.Kernels;

namespace Vinfer.Distributions;

/// <summary>
/// The distribution of y = f_k(…f_1(x)) for x from a base distribution, by the change of variables
/// log p(y) = log p_base(x) − Σ log|det J_fᵢ| (Rezende and Mohamed, "Variational Inference with Normalizing
/// Flows", ICML 2015; PyTorch's TransformedDistribution). The event rank grows to cover every bijector's event.
/// </summary>
public class TransformedDistribution : Distribution
{
    /// <summary>Pushes <paramref name="baseDistribution"/> through <paramref name="transforms"/> (applied in order).</summary>
    public TransformedDistribution(Distribution baseDistribution, params Bijector[] transforms)
        : this(baseDistribution, transforms, Shapes_(baseDistribution, transforms, out int eventRank), eventRank) { }

    private TransformedDistribution(Distribution baseDistribution, Bijector[] transforms, int[] shape, int eventRank)
        : base(shape[..^eventRank], shape[^eventRank..], baseDistribution.Validates)
    {
        BaseDistribution = baseDistribution;
        Transforms = transforms;
        EventRank = eventRank;
    }

    private static int[] Shapes_(Distribution d, Bijector[] transforms, out int eventRank)
    {
        ArgumentNullException.ThrowIfNull(d);
        int[] shape = [.. d.BatchShape, .. d.EventShape];
        eventRank = d.EventShape.Length;
        foreach (var t in transforms)
        {
            eventRank = Math.Max(t.OutputEventDim, eventRank - t.InputEventDim + t.OutputEventDim);
            shape = t.ForwardShape(shape);
        }
        if (eventRank > shape.Length) throw new ArgumentException($"TransformedDistribution: the transforms need {eventRank} event dimensions but {d.Name} has shape {Shapes.Format(shape)}.");
        return shape;
    }

    private int EventRank { get; }

    /// <summary>The distribution of x.</summary>
    public Distribution BaseDistribution { get; }

    /// <summary>The bijectors in application order.</summary>
    public IReadOnlyList<Bijector> Transforms { get; }

    /// <inheritdoc />
    public override string Name => GetType() == typeof(TransformedDistribution) ? $"TransformedDistribution({BaseDistribution.Name})" : GetType().Name;

    /// <inheritdoc />
    public override Constraint Support
    {
        get
        {
            if (Transforms.Count == 0) return BaseDistribution.Support;
            var c = Transforms[^1].Codomain;
            return Constraints.Independent(c, EventRank - Transforms[^1].OutputEventDim);
        }
    }

    /// <inheritdoc />
    public override bool HasRSample => BaseDistribution.HasRSample;

    /// <inheritdoc />
    public override Tensor LogProb(Tensor value)
    {
        CheckValue(value);
        Tensor? total = null;
        int eventDim = EventRank;
        var y = value;
        for (int i = Transforms.Count - 1; i >= 0; i--)
        {
            var t = Transforms[i];
            var x = t.Inverse(y);
            var l = Independent.SumRightmost(t.LogAbsDetJacobian(x, y), eventDim - t.OutputEventDim);
            total = total is null ? -l : total - l;
            eventDim = eventDim - t.OutputEventDim + t.InputEventDim;
            y = x;
        }
        var lp = Independent.SumRightmost(BaseDistribution.LogProb(y), eventDim - BaseDistribution.EventShape.Length);
        return total is null ? lp : lp + total;
    }

    /// <inheritdoc />
    public override Tensor Sample(RandomStream rng, params int[] sampleShape) => Push(BaseDistribution.Sample(rng, sampleShape));

    /// <inheritdoc />
    public override Tensor RSample(RandomStream rng, params int[] sampleShape) => Push(BaseDistribution.RSample(rng, sampleShape));

    private Tensor Push(Tensor x)
    {
        foreach (var t in Transforms) x = t.Forward(x);
        return x;
    }
}
