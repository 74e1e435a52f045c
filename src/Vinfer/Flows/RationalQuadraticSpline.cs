using Vinfer.Tensors;

namespace Vinfer.Flows;

/// <summary>
/// The monotone rational-quadratic spline of neural spline flows (Durkan, Bekasov, Murray and Papamakarios, "Neural
/// Spline Flows", NeurIPS 2019, §3.1 and Appendix A), elementwise: on [−B, B] K bins whose widths and heights are
/// softmaxes of unnormalized parameters and whose interior knot derivatives are softplus of theirs (the boundary
/// derivatives are 1), the identity outside, so the map is C¹ on the real line. Parameters per element: [3K − 1]
/// (K widths, K heights, K − 1 derivatives). The forward map, its log-derivative and the inverse (the root of a
/// quadratic) are closed-form; bins are located from the values and gathered, everything else is differentiable.
/// </summary>
public static class RationalQuadraticSpline
{
    /// <summary>The smallest bin width and height (as a fraction of 2B) and the smallest derivative, as in the paper's code.</summary>
    public const double MinBinSize = 1e-3, MinDerivative = 1e-3;

    /// <summary>The number of parameters per element for <paramref name="bins"/> bins.</summary>
    public static int ParameterCount(int bins) => 3 * bins - 1;

    private sealed record Knots(Tensor X, Tensor Y, Tensor Derivatives);

    private static Knots Build(Tensor parameters, int bins, double bound)
    {
        var widths = Normalize(parameters.Narrow(-1, 0, bins), bins);
        var heights = Normalize(parameters.Narrow(-1, bins, bins), bins);
        var interior = parameters.Narrow(-1, 2 * bins, bins - 1).Softplus() + MinDerivative;
        var one = Tensor.Ones([.. parameters.ShapeArray[..^1], 1]);
        return new Knots(Cumulative(widths, bound), Cumulative(heights, bound), Tensor.Concat(-1, one, interior, one));
    }

    private static Tensor Normalize(Tensor raw, int bins) => raw.Softmax(-1) * (1 - MinBinSize * bins) + MinBinSize;

    /// <summary>Knot positions −B, …, B ([..., K + 1]) from bin sizes summing to 1.</summary>
    private static Tensor Cumulative(Tensor sizes, double bound)
    {
        var zero = Tensor.Zeros([.. sizes.ShapeArray[..^1], 1]);
        var knots = Tensor.Concat(-1, zero, sizes.CumSum(-1)) * (2 * bound) - bound;
        // pin the last knot at B exactly (rounding in the sum)
        return Tensor.Concat(-1, knots.Narrow(-1, 0, sizes.Dim(-1)), zero + bound);
    }

    /// <summary>The bin of each value: the number of interior knots at or below it ([..., 1], integral values).</summary>
    private static Tensor BinIndex(Tensor knots, Tensor value, int bins)
    {
        var k = knots.Detach().Span;
        var v = value.Detach().Span;
        var index = new double[v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            int b = 0;
            for (int j = 1; j < bins; j++) if (v[i] >= k[i * (bins + 1) + j]) b = j;
            index[i] = b;
        }
        return Tensor.FromArray(index, [.. value.ShapeArray, 1]);
    }

    private static Tensor At(Tensor t, Tensor index) => t.Gather(-1, index).Squeeze(-1);

    /// <summary>y = g(x) and log g′(x) elementwise, for x [...] and parameters [..., 3K − 1].</summary>
    public static (Tensor Value, Tensor LogDerivative) Forward(Tensor x, Tensor parameters, int bins, double bound)
    {
        var knots = Build(parameters, bins, bound);
        var inside = x.GreaterOrEqual(Tensor.Scalar(-bound)) * Tensor.Scalar(bound).GreaterOrEqual(x);
        var xc = x.Clamp(-bound, bound);
        var index = BinIndex(knots.X, xc, bins);
        var next = index + 1.0;
        var x0 = At(knots.X, index);
        var w = At(knots.X, next) - x0;
        var y0 = At(knots.Y, index);
        var h = At(knots.Y, next) - y0;
        var d0 = At(knots.Derivatives, index);
        var d1 = At(knots.Derivatives, next);
        var s = h / w;
        var xi = (xc - x0) / w;
        var xi1 = xi * (1.0 - xi);
        var denominator = s + (d1 + d0 - 2.0 * s) * xi1;
        var y = y0 + h * (s * xi.Square() + d0 * xi1) / denominator;
        var numerator = s.Square() * (d1 * xi.Square() + 2.0 * s * xi1 + d0 * (1.0 - xi).Square());
        var logDerivative = numerator.Log() - 2.0 * denominator.Log();
        return (Tensor.Where(inside, y, x), Tensor.Where(inside, logDerivative, Tensor.Zeros(x.ShapeArray)));
    }

    /// <summary>x = g⁻¹(y) and log g′(x) elementwise (the forward map's log-derivative at the solution).</summary>
    public static (Tensor Value, Tensor LogDerivative) Inverse(Tensor y, Tensor parameters, int bins, double bound)
    {
        var knots = Build(parameters, bins, bound);
        var inside = y.GreaterOrEqual(Tensor.Scalar(-bound)) * Tensor.Scalar(bound).GreaterOrEqual(y);
        var yc = y.Clamp(-bound, bound);
        var index = BinIndex(knots.Y, yc, bins);
        var next = index + 1.0;
        var x0 = At(knots.X, index);
        var w = At(knots.X, next) - x0;
        var y0 = At(knots.Y, index);
        var h = At(knots.Y, next) - y0;
        var d0 = At(knots.Derivatives, index);
        var d1 = At(knots.Derivatives, next);
        var s = h / w;
        var dy = yc - y0;
        var curvature = d1 + d0 - 2.0 * s;
        var a = h * (s - d0) + dy * curvature;
        var b = h * d0 - dy * curvature;
        var c = -s * dy;
        // the root in [0, 1], in the form that stays accurate when a → 0
        var xi = 2.0 * c / (b.Neg() - (b.Square() - 4.0 * a * c).Clamp(min: 0).Sqrt());
        var x = x0 + xi * w;
        var xi1 = xi * (1.0 - xi);
        var denominator = s + curvature * xi1;
        var numerator = s.Square() * (d1 * xi.Square() + 2.0 * s * xi1 + d0 * (1.0 - xi).Square());
        var logDerivative = numerator.Log() - 2.0 * denominator.Log();
        return (Tensor.Where(inside, x, y), Tensor.Where(inside, logDerivative, Tensor.Zeros(y.ShapeArray)));
    }
}
