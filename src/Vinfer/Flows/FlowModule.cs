using Vinfer.Nn;
using Vinfer.Tensors;

namespace Vinfer.Flows;

/// <summary>
/// A learnable flow layer: a <see cref="Module"/> whose parameters (and networks) live in the current
/// <see cref="Modeling.ParamStore"/> under its name, and which builds its <see cref="Flow"/> from their current values
/// on every use (<see cref="Build"/>). Guides hold these; the flows they build are plain bijectors.
/// </summary>
public abstract class FlowModule : Module
{
    /// <summary>A flow layer whose parameters are named <c><paramref name="name"/>.…</c>.</summary>
    protected FlowModule(string name, int dimension) : base(name)
    {
        Dimension = Positive(dimension, nameof(dimension), GetType().Name, name);
    }

    /// <summary>The size of the vectors the flow maps.</summary>
    public int Dimension { get; }

    /// <summary>The flow at the parameters' current values (differentiable in them).</summary>
    public abstract Flow Build();

    /// <summary>The flow applied to <paramref name="input"/>.</summary>
    public override Tensor Forward(Tensor input) => Build().Forward(input);
}
