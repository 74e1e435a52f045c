using Vinfer.Nn;
using Vinfer.Tensors;

namespace Vinfer.Flows;

/// <summary>
/// A learnable <see cref="AffineCoupling"/> (RealNVP, Dinh et al. 2017) keeping the first ⌊d/2⌋ coordinates, with an
/// <see cref="Mlp"/> conditioner (ReLU hidden layers) whose raw log-scale goes through tanh, as RealNVP bounds its
/// scales, so that no single layer can blow a coordinate up by more than e per step of training.
/// </summary>
public sealed class AffineCouplingModule : FlowModule
{
    private readonly Mlp _network;

    /// <summary>A coupling layer on vectors of size <paramref name="dimension"/> (at least 2).</summary>
    public AffineCouplingModule(string name, int dimension, IReadOnlyList<int> hiddenSizes) : base(name, dimension)
    {
        if (dimension < 2) throw new ArgumentOutOfRangeException(nameof(dimension), $"AffineCouplingModule '{name}': coupling needs at least 2 coordinates, got {dimension}.");
        Split = dimension / 2;
        _network = Register(new Mlp(ChildName("net"), Split, hiddenSizes, 2 * (dimension - Split)));
    }

    /// <summary>How many leading coordinates pass unchanged.</summary>
    public int Split { get; }

    private Tensor Parameters(Tensor kept)
    {
        var raw = _network.Forward(kept).Reshape([.. kept.ShapeArray[..^1], 2, Dimension - Split]);
        var shift = raw.Narrow(-2, 0, 1);
        var logScale = raw.Narrow(-2, 1, 1).Tanh();
        return Tensor.Concat(-2, shift, logScale).Transpose(-1, -2);
    }

    /// <inheritdoc/>
    public override Flow Build() => new AffineCoupling(Dimension, Split, BindParameters(Parameters));
}
