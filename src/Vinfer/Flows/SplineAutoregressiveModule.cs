using Vinfer.Nn;
using Vinfer.Tensors;

namespace Vinfer.Flows;

/// <summary>
/// A learnable <see cref="SplineAutoregressive"/> transform (neural spline flow, Durkan et al. 2019) on a
/// <see cref="Made"/> conditioner with 3K − 1 outputs per input.
/// </summary>
public sealed class SplineAutoregressiveModule : FlowModule
{
    private readonly Made _network;

    /// <summary>An autoregressive spline layer on vectors of size <paramref name="dimension"/>.</summary>
    public SplineAutoregressiveModule(string name, int dimension, IReadOnlyList<int> hiddenSizes, int bins = 8, double bound = 3.0) : base(name, dimension)
    {
        Bins = bins;
        Bound = bound;
        _network = Register(new Made(ChildName("made"), dimension, hiddenSizes, outputsPerInput: RationalQuadraticSpline.ParameterCount(bins)));
    }

    /// <summary>K.</summary>
    public int Bins { get; }

    /// <summary>B.</summary>
    public double Bound { get; }

    private Tensor Parameters(Tensor x) => Tensor.Stack(-1, _network.ForwardParts(x));

    /// <inheritdoc/>
    public override Flow Build() => new SplineAutoregressive(Dimension, BindParameters(Parameters), Bins, Bound);
}
