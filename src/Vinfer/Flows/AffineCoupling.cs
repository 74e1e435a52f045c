using Vinfer.Tensors;

namespace Vinfer.Flows;

/// <summary>
/// The affine coupling layer of RealNVP (Dinh, Sohl-Dickstein and Bengio, "Density estimation using Real NVP",
/// ICLR 2017, §3.2-3.3): the first <see cref="Split"/> coordinates pass unchanged and condition an affine map of the
/// rest, y_b = x_b·exp(s(x_a)) + t(x_a), so log|det J| = Σ s and the inverse is one pass,
/// x_b = (y_b − t(y_a))·exp(−s(y_a)). The conditioner maps x_a [..., split] to [..., d − split, 2] (shift, log-scale).
/// </summary>
public sealed class AffineCoupling : Flow
{
    private readonly Conditioner _conditioner;

    /// <summary>A coupling layer on vectors of size <paramref name="dimension"/> keeping the first <paramref name="split"/>.</summary>
    public AffineCoupling(int dimension, int split, Conditioner conditioner)
    {
        if (dimension < 2) throw new ArgumentOutOfRangeException(nameof(dimension), $"AffineCoupling: the dimension must be at least 2, got {dimension}.");
        if (split < 1 || split >= dimension) throw new ArgumentOutOfRangeException(nameof(split), $"AffineCoupling: the split must be in 1…{dimension - 1}, got {split}.");
        Dimension = dimension;
        Split = split;
        _conditioner = conditioner ?? throw new ArgumentNullException(nameof(conditioner));
    }

    /// <inheritdoc/>
    public override int Dimension { get; }

    /// <summary>How many leading coordinates pass unchanged.</summary>
    public int Split { get; }

    private (Tensor Shift, Tensor LogScale) Parameters(Tensor kept)
    {
        var p = _conditioner(kept);
        if (p.Rank < 2 || p.Dim(-1) != 2 || p.Dim(-2) != Dimension - Split)
            throw new InvalidOperationException($"AffineCoupling: the conditioner must return [..., {Dimension - Split}, 2], got [{string.Join(", ", p.ShapeArray)}].");
        return (p.Narrow(-1, 0, 1).Squeeze(-1), p.Narrow(-1, 1, 1).Squeeze(-1));
    }

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor x)
    {
        var kept = x.Narrow(-1, 0, Split);
        var (shift, logScale) = Parameters(kept);
        return Tensor.Concat(-1, kept, x.Narrow(-1, Split, Dimension - Split) * logScale.Exp() + shift);
    }

    /// <inheritdoc/>
    protected override Tensor InverseCore(Tensor y)
    {
        var kept = y.Narrow(-1, 0, Split);
        var (shift, logScale) = Parameters(kept);
        return Tensor.Concat(-1, kept, (y.Narrow(-1, Split, Dimension - Split) - shift) * logScale.Neg().Exp());
    }

    /// <inheritdoc/>
    public override Tensor LogAbsDetJacobian(Tensor x, Tensor y) => Parameters(x.Narrow(-1, 0, Split)).LogScale.Sum(-1);
}
