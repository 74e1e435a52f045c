using MathNet.Numerics.LinearAlgebra;
using Vinfer.Autodiff;
using Vinfer.Tensors;
using Vinfer.Distributions;
using static Vinfer.Tests.Distributions.DistributionChecks;

namespace Vinfer.Tests.Distributions;

/// <summary>
/// Every bijector: inverse ∘ forward = identity, forward lands in the codomain, and log|det J| equals the log
/// absolute determinant of the numerical Jacobian (central differences) taken on the output's free coordinates.
/// </summary>
public class BijectorTests
{
    /// <summary>A bijector under test: its input size (one event) and the free coordinates of its output.</summary>
    internal sealed record Case(string Name, Bijector Bijector, int InputSize, Func<double[], double[]> Free);

    private static double[] Identity(double[] y) => y;

    private static double[] DropLast(double[] y) => y[..^1];

    private static Func<double[], double[]> LowerEntries(int n, bool diagonal) => y =>
    {
        var list = new List<double>();
        for (int i = 0; i < n; i++) for (int j = 0; j < (diagonal ? i + 1 : i); j++) list.Add(y[i * n + j]);
        return [.. list];
    };

    /// <summary>Every case; <see cref="DistributionCoverageTests"/> fails when a public bijector has none.</summary>
    internal static readonly Case[] Cases =
    [
        new("Exp", new ExpBijector(), 1, Identity),
        new("Softplus", new SoftplusBijector(), 1, Identity),
        new("Sigmoid", new SigmoidBijector(), 1, Identity),
        new("Affine", new AffineBijector(1.5, -2.5), 1, Identity),
        new("LowerBound", new LowerBoundBijector(-3), 1, Identity),
        new("UpperBound", new UpperBoundBijector(2), 1, Identity),
        new("Interval", new IntervalBijector(-1, 4), 1, Identity),
        new("Ordered", new OrderedBijector(), 5, Identity),
        new("StickBreaking", new StickBreakingBijector(), 4, DropLast),
        new("LowerCholesky", new LowerCholeskyBijector(), 6, LowerEntries(3, true)),
        new("CorrCholesky", new CorrCholeskyBijector(), 6, LowerEntries(4, false)),
        new("Compose", new ComposeBijector(new AffineBijector(0.5, 2), new ExpBijector(), new AffineBijector(1, 3)), 1, Identity),
        new("ComposeVector", new ComposeBijector(new AffineBijector(Tensor.Scalar(0.3), Tensor.Scalar(-1.2), eventDim: 1), new StickBreakingBijector()), 3, DropLast),
        new("Inverse", new InverseBijector(new ExpBijector()), 1, Identity),
        new("Independent", new IndependentBijector(new SigmoidBijector(), 1), 3, Identity),
        new("Identity", new IdentityBijector(1), 3, Identity),
        new("PositiveOrdered", new PositiveOrderedBijector(), 4, Identity),
        new("TriangularAffine", new TriangularAffineBijector(Tensor.FromArray([0.5, -1.0, 2.0], 3), Tensor.FromArray([1.5, 0, 0, -0.4, 0.8, 0, 0.3, 0.7, 2.0], 3, 3)), 3, Identity),
    ];

    public static TheoryData<string> Names()
    {
        var d = new TheoryData<string>();
        foreach (var c in Cases) d.Add(c.Name);
        return d;
    }

    [Theory, MemberData(nameof(Names))]
    public void LogAbsDetJacobianMatchesNumericalJacobian(string name)
    {
        var c = Cases.Single(k => k.Name == name);
        var b = c.Bijector;
        var rng = new System.Random(name.Length * 7919);
        for (int trial = 0; trial < 5; trial++)
        {
            var x = new double[c.InputSize];
            for (int i = 0; i < x.Length; i++) x[i] = name == "Inverse" ? 0.2 + 3 * rng.NextDouble() : 1.6 * rng.NextDouble() - 0.8;
            double[] F(double[] v) => c.Free(b.Forward(b.InputEventDim == 0 && v.Length == 1 ? Tensor.Scalar(v[0]) : Tensor.FromArray(v)).ToArray());
            var xt = b.InputEventDim == 0 && x.Length == 1 ? Tensor.Scalar(x[0]) : Tensor.FromArray(x);
            var y = b.Forward(xt);
            var free0 = F(x);
            Assert.Equal(x.Length, free0.Length);
            var jac = Matrix<double>.Build.Dense(x.Length, x.Length);
            for (int j = 0; j < x.Length; j++)
            {
                double h = 1e-6 * Math.Max(1, Math.Abs(x[j]));
                var up = (double[])x.Clone(); up[j] += h;
                var down = (double[])x.Clone(); down[j] -= h;
                var fu = F(up); var fd = F(down);
                for (int i = 0; i < x.Length; i++) jac[i, j] = (fu[i] - fd[i]) / (2 * h);
            }
            double numeric = Math.Log(Math.Abs(jac.Determinant()));
            var ladj = b.LogAbsDetJacobian(xt, y);
            double analytic = ladj.Sum().Item();
            Assert.True(Math.Abs(analytic - numeric) <= 1e-6 * Math.Max(1, Math.Abs(numeric)), $"{name}: log|det J| {analytic:G10} vs numerical {numeric:G10}");

            var back = b.Inverse(y).ToArray();
            AssertClose(x, back, 1e-9, name + " inverse(forward(x))");
            Assert.All(b.Codomain.Check(y).ToArray(), v => Assert.Equal(1.0, v));
        }
    }

    [Theory, MemberData(nameof(Names))]
    public void LogAbsDetJacobianIsDifferentiable(string name)
    {
        var c = Cases.Single(k => k.Name == name);
        var b = c.Bijector;
        var x = name == "Inverse" ? LogUniform(3, 0.3, 3, 2, c.InputSize) : Uniform(3, -0.8, 0.8, 2, c.InputSize);
        if (name is not ("Affine" or "Identity" or "TriangularAffine")) // constant in x: nothing to differentiate
        {
            var l = GradientCheck.Check(t => b.LogAbsDetJacobian(t[0], b.Forward(t[0])), [x], tolerance: 1e-5);
            Assert.True(l.Passed, name + ": " + l);
        }
        var r = GradientCheck.Check(t => b.Forward(t[0]), [x], tolerance: 1e-5);
        Assert.True(r.Passed, name + " forward: " + r);
        // The inverse's own backward pass: directly where its input is free, and through inverse ∘ forward (whose
        // Jacobian is the identity) where its input lives on a manifold that perturbing one entry would leave.
        var i = name is "StickBreaking" or "ComposeVector" or "LowerCholesky" or "CorrCholesky"
            ? GradientCheck.Check(t => b.Inverse(b.Forward(t[0])), [x], tolerance: 1e-5)
            : GradientCheck.Check(t => b.Inverse(t[0]), [b.Forward(x)], tolerance: 1e-5);
        Assert.True(i.Passed, name + " inverse: " + i);
    }

    [Fact]
    public void EverySupportMapsFromUnconstrainedSpace()
    {
        var constraints = new (Constraint C, int Size)[]
        {
            (Constraints.Real, 3), (Constraints.Positive, 3), (Constraints.NonNegative, 3), (Constraints.UnitInterval, 3),
            (Constraints.Interval(-2, 5), 3), (Constraints.GreaterThan(1.5), 3), (Constraints.LessThan(-1), 3),
            (Constraints.Simplex, 4), (Constraints.Ordered, 4), (Constraints.LowerCholesky, 6), (Constraints.CorrCholesky, 6),
            (Constraints.Independent(Constraints.Positive, 1), 3),
            (new Uniform(Tensor.FromArray([0.0, 1, 2]), Tensor.FromArray([1.0, 5, 2.5])).Support, 3),
        };
        foreach (var (c, size) in constraints)
        {
            var b = Bijectors.ToUnconstrained(c);
            var y = b.Forward(Uniform(size, -3, 3, 2, size));
            Assert.True(c.Check(y).ToArray().All(v => v == 1), $"{c.Name}: ToUnconstrained({c.Name}) = {b.Name} leaves the support");
        }
        Assert.Contains("discrete", Assert.Throws<NotSupportedException>(() => Bijectors.ToUnconstrained(Constraints.NonNegativeInteger)).Message);
        Assert.Contains("no bijector", Assert.Throws<NotSupportedException>(() => Bijectors.ToUnconstrained(Constraints.PositiveDefinite)).Message);
    }
}
