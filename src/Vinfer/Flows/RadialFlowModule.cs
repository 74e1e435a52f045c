using Vinfer.Nn;

namespace Vinfer.Flows;

/// <summary>A learnable <see cref="RadialFlow"/>: centre, α̃ and β̃ ~ U(±1/√d) at the start (Rezende and Mohamed 2015).</summary>
public sealed class RadialFlowModule : FlowModule
{
    private readonly ModuleParameter _centre, _alpha, _beta;

    /// <summary>A radial layer on vectors of size <paramref name="dimension"/>.</summary>
    public RadialFlowModule(string name, int dimension) : base(name, dimension)
    {
        _centre = RegisterParameter("centre", [dimension], Initializer.FanInUniform, dimension, dimension, null);
        _alpha = RegisterParameter("alpha", [1], Initializer.FanInUniform, dimension, 1, null);
        _beta = RegisterParameter("beta", [1], Initializer.FanInUniform, dimension, 1, null);
    }

    /// <inheritdoc/>
    public override Flow Build() => new RadialFlow(_centre.Value, _alpha.Value, _beta.Value);
}
