using Vinfer.Nn;

namespace Vinfer.Flows;

/// <summary>A learnable <see cref="ActNorm"/>, the identity at the start (Kingma and Dhariwal 2018).</summary>
public sealed class ActNormModule : FlowModule
{
    private readonly ModuleParameter _logScale, _shift;

    /// <summary>An ActNorm layer on vectors of size <paramref name="dimension"/>.</summary>
    public ActNormModule(string name, int dimension) : base(name, dimension)
    {
        _logScale = RegisterParameter("log_scale", [dimension], Initializer.Zeros, dimension, dimension, null);
        _shift = RegisterParameter("shift", [dimension], Initializer.Zeros, dimension, dimension, null);
    }

    /// <inheritdoc/>
    public override Flow Build() => new ActNorm(_logScale.Value, _shift.Value);
}
