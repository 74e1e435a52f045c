using Vinfer.Tensors;

namespace Vinfer.Flows;

/// <summary>
/// Rational-quadratic neural spline coupling (Durkan et al., NeurIPS 2019, §3.2): the first <see cref="Split"/>
/// coordinates pass unchanged and give, through the conditioner ([..., split] → [..., d − split, 3K − 1]), a monotone
/// spline (<see cref="RationalQuadraticSpline"/>) for each of the others. log|det J| is the sum of the splines'
/// log-derivatives; the inverse is one pass.
/// </summary>
public sealed class SplineCoupling : Flow
{
    private readonly Conditioner _conditioner;

    /// <summary>A spline coupling layer with <paramref name="bins"/> bins on [−<paramref name="bound"/>, <paramref name="bound"/>].</summary>
    public SplineCoupling(int dimension, int split, Conditioner conditioner, int bins = 8, double bound = 3.0)
    {
        if (dimension < 2) throw new ArgumentOutOfRangeException(nameof(dimension), $"SplineCoupling: the dimension must be at least 2, got {dimension}.");
        if (split < 1 || split >= dimension) throw new ArgumentOutOfRangeException(nameof(split), $"SplineCoupling: the split must be in 1…{dimension - 1}, got {split}.");
        if (bins < 2) throw new ArgumentOutOfRangeException(nameof(bins), $"SplineCoupling: bins must be at least 2, got {bins}.");
        if (!(bound > 0 && double.IsFinite(bound))) throw new ArgumentOutOfRangeException(nameof(bound), $"SplineCoupling: the bound must be positive and finite, got {bound}.");
        Dimension = dimension;
        Split = split;
        Bins = bins;
        Bound = bound;
        _conditioner = conditioner ?? throw new ArgumentNullException(nameof(conditioner));
    }

    /// <inheritdoc/>
    public override int Dimension { get; }

    /// <summary>How many leading coordinates pass unchanged.</summary>
    public int Split { get; }

    /// <summary>K.</summary>
    public int Bins { get; }

    /// <summary>B.</summary>
    public double Bound { get; }

    private Tensor Parameters(Tensor kept)
    {
        var p = _conditioner(kept);
        int k = RationalQuadraticSpline.ParameterCount(Bins);
        if (p.Rank < 2 || p.Dim(-1) != k || p.Dim(-2) != Dimension - Split)
            throw new InvalidOperationException($"SplineCoupling: the conditioner must return [..., {Dimension - Split}, {k}], got [{string.Join(", ", p.ShapeArray)}].");
        return p;
    }

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor x)
    {
        var kept = x.Narrow(-1, 0, Split);
        var (y, _) = RationalQuadraticSpline.Forward(x.Narrow(-1, Split, Dimension - Split), Parameters(kept), Bins, Bound);
        return Tensor.Concat(-1, kept, y);
    }

    /// <inheritdoc/>
    protected override Tensor InverseCore(Tensor y)
    {
        var kept = y.Narrow(-1, 0, Split);
        var (x, _) = RationalQuadraticSpline.Inverse(y.Narrow(-1, Split, Dimension - Split), Parameters(kept), Bins, Bound);
        return Tensor.Concat(-1, kept, x);
    }

    /// <inheritdoc/>
    public override Tensor LogAbsDetJacobian(Tensor x, Tensor y)
    {
        var kept = x.Narrow(-1, 0, Split);
        return RationalQuadraticSpline.Forward(x.Narrow(-1, Split, Dimension - Split), Parameters(kept), Bins, Bound).LogDerivative.Sum(-1);
    }
}
