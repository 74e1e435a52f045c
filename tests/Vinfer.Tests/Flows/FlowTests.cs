using Vinfer.Autodiff;
using Vinfer.Flows;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Tests.Flows;

/// <summary>
/// Every flow against its definition: log|det J| against the log-determinant of the central-difference Jacobian,
/// the inverse against the forward map (uncached), batch shapes, and gradients in x and in every parameter through
/// <see cref="GradientCheck"/>.
/// </summary>
public class FlowTests
{
    private const int D = 4;

    private static Tensor Random(ulong seed, double scale, params int[] shape)
    {
        var v = new double[shape.Aggregate(1, (a, b) => a * b)];
        Vinfer.Random.Sample.Normal(new RandomKey(seed), 0, scale, v);
        return Tensor.FromArray(v, shape);
    }

    /// <summary>A flow built from parameter tensors, and the parameters to build it from.</summary>
    public sealed record Case(string Name, Func<Tensor[], Flow> Build, Tensor[] Parameters, bool ExactInverse = true)
    {
        public override string ToString() => Name;
    }

    /// <summary>A coupling conditioner: [.., k] → [.., D − k, 2] through tanh(x W + c), W [k, 2(D − k)].</summary>
    internal static Conditioner LinearConditioner(Tensor weight, Tensor bias, int outputs, int perOutput) => input =>
    {
        var h = (input.MatMul(weight) + bias).Tanh();
        return h.Reshape([.. input.ShapeArray[..^1], outputs, perOutput]);
    };

    /// <summary>An autoregressive conditioner: output i from x_&lt;i only, through a strictly lower-triangular mask.</summary>
    internal static Conditioner MaskedConditioner(Tensor weight, Tensor bias, int dimension, int perOutput) => input =>
    {
        // weight [D, D·k]: entry (j, i·k + c) may be non-zero only for j < i
        var mask = new double[dimension * dimension * perOutput];
        for (int j = 0; j < dimension; j++)
            for (int i = j + 1; i < dimension; i++)
                for (int c = 0; c < perOutput; c++) mask[j * dimension * perOutput + i * perOutput + c] = 1;
        var w = weight * Tensor.FromArray(mask, dimension, dimension * perOutput);
        var h = (input.MatMul(w) + bias).Tanh();
        return h.Reshape([.. input.ShapeArray[..^1], dimension, perOutput]);
    };

    public static TheoryData<Case> Cases() => new()
    {
        new Case("planar", p => new PlanarFlow(p[0], p[1], p[2]), [Random(1, 0.8, D), Random(2, 0.8, D), Tensor.Scalar(0.3)]),
        new Case("planar at the invertibility bound", p => new PlanarFlow(p[0], p[1], p[2]), [Random(3, 3, D), Random(3, 3, D) * -1.0, Tensor.Scalar(-0.2)]),
        new Case("radial", p => new RadialFlow(p[0], p[1], p[2]), [Random(4, 0.5, D), Tensor.Scalar(0.4), Tensor.Scalar(0.9)]),
        new Case("radial contracting", p => new RadialFlow(p[0], p[1], p[2]), [Random(5, 0.5, D), Tensor.Scalar(0.1), Tensor.Scalar(-3)]),
        new Case("permutation", _ => new Permutation([2, 0, 3, 1]), []),
        new Case("actnorm", p => new ActNorm(p[0], p[1]), [Random(6, 0.5, D), Random(7, 1, D)]),
        new Case("affine coupling", p => new AffineCoupling(D, 1, LinearConditioner(p[0], p[1], D - 1, 2)), [Random(8, 0.7, 1, 2 * (D - 1)), Random(9, 0.3, 2 * (D - 1))]),
        new Case("affine coupling split 2", p => new AffineCoupling(D, 2, LinearConditioner(p[0], p[1], D - 2, 2)), [Random(10, 0.7, 2, 2 * (D - 2)), Random(11, 0.3, 2 * (D - 2))]),
        new Case("affine autoregressive (IAF)", p => new AffineAutoregressive(D, MaskedConditioner(p[0], p[1], D, 2)), [Random(12, 0.7, D, 2 * D), Random(13, 0.3, 2 * D)]),
        new Case("masked autoregressive (MAF = IAF inverse)", p => new InverseFlow(new AffineAutoregressive(D, MaskedConditioner(p[0], p[1], D, 2))), [Random(14, 0.7, D, 2 * D), Random(15, 0.3, 2 * D)]),
        new Case("spline coupling", p => new SplineCoupling(D, 2, LinearConditioner(p[0], p[1], D - 2, 11), bins: 4, bound: 2.0), [Random(16, 1.5, 2, 22), Random(17, 1.0, 22)]),
        new Case("spline autoregressive", p => new SplineAutoregressive(D, MaskedConditioner(p[0], p[1], D, 11), bins: 4, bound: 2.0), [Random(18, 1.5, D, 11 * D), Random(19, 1.0, 11 * D)]),
    };

    /// <summary>log|det| of a small dense matrix by Gaussian elimination with partial pivoting.</summary>
    internal static double LogAbsDet(double[,] a)
    {
        int n = a.GetLength(0);
        a = (double[,])a.Clone();
        double logDet = 0;
        for (int c = 0; c < n; c++)
        {
            int p = c;
            for (int r = c + 1; r < n; r++) if (Math.Abs(a[r, c]) > Math.Abs(a[p, c])) p = r;
            if (p != c) for (int k = 0; k < n; k++) (a[c, k], a[p, k]) = (a[p, k], a[c, k]);
            logDet += Math.Log(Math.Abs(a[c, c]));
            for (int r = c + 1; r < n; r++)
            {
                double f = a[r, c] / a[c, c];
                for (int k = c; k < n; k++) a[r, k] -= f * a[c, k];
            }
        }
        return logDet;
    }

    internal static double[,] NumericalJacobian(Func<double[], double[]> f, double[] x, double h = 1e-6)
    {
        int n = x.Length;
        var j = new double[n, n];
        for (int c = 0; c < n; c++)
        {
            var plus = (double[])x.Clone();
            var minus = (double[])x.Clone();
            plus[c] += h;
            minus[c] -= h;
            var fp = f(plus);
            var fm = f(minus);
            for (int r = 0; r < n; r++) j[r, c] = (fp[r] - fm[r]) / (2 * h);
        }
        return j;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheLogDeterminantIsThatOfTheNumericalJacobian(Case c)
    {
        var flow = c.Build(c.Parameters);
        var x = Random(20, 1.0, 3, D);
        var y = flow.Forward(x);
        var logDet = flow.LogAbsDetJacobian(x, y);
        Assert.Equal([3], logDet.ShapeArray);
        for (int row = 0; row < 3; row++)
        {
            var xr = x.ToArray()[(row * D)..((row + 1) * D)];
            var jacobian = NumericalJacobian(v => c.Build(c.Parameters).Forward(Tensor.FromArray(v, D)).ToArray(), xr);
            Assert.Equal(LogAbsDet(jacobian), logDet.ToArray()[row], 6);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheInverseUndoesTheForwardMap(Case c)
    {
        var x = Random(21, 1.5, 5, D);
        var y = c.Build(c.Parameters).Forward(x);
        // a fresh flow and a copy of y: no cache
        var back = c.Build(c.Parameters).Inverse(y.Clone()).ToArray();
        var xs = x.ToArray();
        for (int i = 0; i < xs.Length; i++) Assert.Equal(xs[i], back[i], 9);
        var again = c.Build(c.Parameters).Forward(Tensor.FromArray(back, 5, D)).ToArray();
        var ys = y.ToArray();
        for (int i = 0; i < ys.Length; i++) Assert.Equal(ys[i], again[i], 9);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradientsInTheInputAndEveryParameterMatchFiniteDifferences(Case c)
    {
        var x = Random(22, 1.0, 2, D);
        var result = GradientCheck.Check(inputs =>
        {
            var flow = c.Build(inputs[1..]);
            var y = flow.Forward(inputs[0]);
            return Tensor.Concat(-1, y, flow.LogAbsDetJacobian(inputs[0], y).Unsqueeze(-1));
        }, [x, .. c.Parameters], tolerance: 1e-5);
        Assert.True(result.Passed, result.ToString());
    }

    /// <summary>The spline is the identity outside [−B, B], meets it with slope 1 at ±B, and is monotone inside.</summary>
    [Fact]
    public void TheSplineIsMonotoneAndJoinsTheIdentityAtItsBounds()
    {
        var parameters = Random(30, 2.0, 5, 11);
        var x = Tensor.FromArray([-2.5, -2.0, 0.3, 2.0, 4.0], 5);
        var (y, logDerivative) = RationalQuadraticSpline.Forward(x, parameters, 4, 2.0);
        Assert.Equal(-2.5, y.ToArray()[0]);
        Assert.Equal(-2.0, y.ToArray()[1], 12);
        Assert.Equal(2.0, y.ToArray()[3], 12);
        Assert.Equal(4.0, y.ToArray()[4]);
        Assert.Equal(0.0, logDerivative.ToArray()[1], 9);
        Assert.Equal(0.0, logDerivative.ToArray()[3], 9);
        var grid = Tensor.FromArray(Enumerable.Range(0, 401).Select(i => -2.0 + i * 0.01).ToArray(), 401);
        var row = parameters.Narrow(0, 2, 1).Expand(401, 11);
        var values = RationalQuadraticSpline.Forward(grid, row, 4, 2.0).Value.ToArray();
        for (int i = 1; i < values.Length; i++) Assert.True(values[i] > values[i - 1], $"not increasing at {i}");
    }

    [Fact]
    public void TheCachedInverseOfAFlowsOwnSampleKeepsItsGradient()
    {
        var u = Random(1, 0.8, D);
        var w = Random(2, 0.8, D);
        var b = Tensor.Scalar(0.3);
        var flow = new PlanarFlow(u, w, b);
        var x = Random(3, 1, D);
        var y = flow.Forward(x);
        Assert.Same(x, flow.Inverse(y));
    }

    [Fact]
    public void BadShapesAreClearErrors()
    {
        var e = Assert.Throws<ArgumentException>(() => new PlanarFlow(Tensor.Zeros(3), Tensor.Zeros(2), Tensor.Scalar(0)));
        Assert.Contains("w must have shape [3]", e.Message);
        var p = Assert.Throws<ArgumentException>(() => new Permutation([0, 0, 1]));
        Assert.Contains("is not a permutation", p.Message);
        var f = Assert.Throws<ArgumentException>(() => new ActNorm(Tensor.Zeros(3), Tensor.Zeros(3)).Forward(Tensor.Zeros(2, 4)));
        Assert.Contains("size 3", f.Message);
    }
}
