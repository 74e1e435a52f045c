using Vinfer.Nn;

namespace Vinfer.Flows;

/// <summary>A learnable <see cref="PlanarFlow"/>: u, w ~ U(±1/√d) and b = 0 at the start (Rezende and Mohamed 2015).</summary>
public sealed class PlanarFlowModule : FlowModule
{
    private readonly ModuleParameter _u, _w, _b;

    /// <summary>A planar layer on vectors of size <paramref name="dimension"/>.</summary>
    public PlanarFlowModule(string name, int dimension) : base(name, dimension)
    {
        _u = RegisterParameter("u", [dimension], Initializer.FanInUniform, dimension, dimension, null);
        _w = RegisterParameter("w", [dimension], Initializer.FanInUniform, dimension, dimension, null);
        _b = RegisterParameter("b", [1], Initializer.Zeros, dimension, 1, null);
    }

    /// <inheritdoc/>
    public override Flow Build() => new PlanarFlow(_u.Value, _w.Value, _b.Value);
}
