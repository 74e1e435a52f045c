using Vinfer.Tensors;

namespace Vinfer.Flows;

/// <summary>
/// Rational-quadratic neural spline flow in autoregressive form (Durkan et al., NeurIPS 2019, §3.2): coordinate i goes
/// through a monotone spline whose parameters ([..., d, 3K − 1] from a MADE conditioner) depend on x_&lt;i. Forward is
/// one pass (the IAF direction); the inverse takes d passes.
/// </summary>
public sealed class SplineAutoregressive : Flow
{
    private readonly Conditioner _conditioner;

    /// <summary>An autoregressive spline transform with <paramref name="bins"/> bins on [−<paramref name="bound"/>, <paramref name="bound"/>].</summary>
    public SplineAutoregressive(int dimension, Conditioner conditioner, int bins = 8, double bound = 3.0)
    {
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension), $"SplineAutoregressive: the dimension must be at least 1, got {dimension}.");
        if (bins < 2) throw new ArgumentOutOfRangeException(nameof(bins), $"SplineAutoregressive: bins must be at least 2, got {bins}.");
        if (!(bound > 0 && double.IsFinite(bound))) throw new ArgumentOutOfRangeException(nameof(bound), $"SplineAutoregressive: the bound must be positive and finite, got {bound}.");
        Dimension = dimension;
        Bins = bins;
        Bound = bound;
        _conditioner = conditioner ?? throw new ArgumentNullException(nameof(conditioner));
    }

    /// <inheritdoc/>
    public override int Dimension { get; }

    /// <summary>K.</summary>
    public int Bins { get; }

    /// <summary>B.</summary>
    public double Bound { get; }

    private Tensor Parameters(Tensor x)
    {
        var p = _conditioner(x);
        int k = RationalQuadraticSpline.ParameterCount(Bins);
        if (p.Rank < 2 || p.Dim(-1) != k || p.Dim(-2) != Dimension)
            throw new InvalidOperationException($"SplineAutoregressive: the conditioner must return [..., {Dimension}, {k}], got [{string.Join(", ", p.ShapeArray)}].");
        return p;
    }

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor x) => RationalQuadraticSpline.Forward(x, Parameters(x), Bins, Bound).Value;

    /// <inheritdoc/>
    protected override Tensor InverseCore(Tensor y)
    {
        // after pass k the first k coordinates are exact
        var x = Tensor.Zeros(y.ShapeArray);
        for (int k = 0; k < Dimension; k++) x = RationalQuadraticSpline.Inverse(y, Parameters(x), Bins, Bound).Value;
        return x;
    }

    /// <inheritdoc/>
    public override Tensor LogAbsDetJacobian(Tensor x, Tensor y) => RationalQuadraticSpline.Forward(x, Parameters(x), Bins, Bound).LogDerivative.Sum(-1);
}
