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

    /// <summary>
    /// <paramref name="conditioner"/> (a network of this module) evaluated, whenever it is called, at its parameters'
    /// values as read now, through the handlers active while the flow is built. Without it a conditioner would read
    /// the parameters when called, and a flow's log|det J| and inverse are called when a trace computes log q, after
    /// the guide has returned: a guide re-run with detached parameters (sticking-the-landing, DReG) then got live
    /// ones, and DReG was biased (docs/flows.md, DReG for flow guides).
    /// </summary>
    protected Conditioner BindParameters(Conditioner conditioner)
    {
        ArgumentNullException.ThrowIfNull(conditioner);
        var values = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var p in AllParameters()) values[p.Name] = p.Value;
        return x =>
        {
            using (ModuleParameter.Bind(values)) return conditioner(x);
        };
    }

    /// <summary>The flow applied to <paramref name="input"/>.</summary>
    public override Tensor Forward(Tensor input) => Build().Forward(input);
}
