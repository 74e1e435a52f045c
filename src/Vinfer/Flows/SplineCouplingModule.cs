using Vinfer.Nn;
using Vinfer.Tensors;

namespace Vinfer.Flows;

/// <summary>
/// A learnable <see cref="SplineCoupling"/> (neural spline flow, Durkan et al. 2019) keeping the first ⌊d/2⌋
/// coordinates, with an <see cref="Mlp"/> conditioner (ReLU hidden layers) giving 3K − 1 spline parameters per
/// transformed coordinate.
/// </summary>
public sealed class SplineCouplingModule : FlowModule
{
    private readonly Mlp _network;

    /// <summary>A spline coupling layer on vectors of size <paramref name="dimension"/> (at least 2).</summary>
    public SplineCouplingModule(string name, int dimension, IReadOnlyList<int> hiddenSizes, int bins = 8, double bound = 3.0) : base(name, dimension)
    {
        if (dimension < 2) throw new ArgumentOutOfRangeException(nameof(dimension), $"SplineCouplingModule '{name}': coupling needs at least 2 coordinates, got {dimension}.");
        Split = dimension / 2;
        Bins = bins;
        Bound = bound;
        _network = Register(new Mlp(ChildName("net"), Split, hiddenSizes, (dimension - Split) * RationalQuadraticSpline.ParameterCount(bins)));
    }

    /// <summary>How many leading coordinates pass unchanged.</summary>
    public int Split { get; }

    /// <summary>K.</summary>
    public int Bins { get; }

    /// <summary>B.</summary>
    public double Bound { get; }

    private Tensor Parameters(Tensor kept) =>
        _network.Forward(kept).Reshape([.. kept.ShapeArray[..^1], Dimension - Split, RationalQuadraticSpline.ParameterCount(Bins)]);

    /// <inheritdoc/>
    public override Flow Build() => new SplineCoupling(Dimension, Split, BindParameters(Parameters), Bins, Bound);
}
