using Vinfer.Optim;

namespace Vinfer.Tests.Optim;

public class LbfgsTests
{
    private static double Rosenbrock(ReadOnlySpan<double> x, Span<double> g)
    {
        double f = 0;
        g.Clear();
        for (int i = 0; i + 1 < x.Length; i++)
        {
            double a = x[i + 1] - x[i] * x[i], b = 1 - x[i];
            f += 100 * a * a + b * b;
            g[i] += -400 * x[i] * a - 2 * b;
            g[i + 1] += 200 * a;
        }
        return f;
    }

    /// <summary>Checks both strong Wolfe conditions between consecutive accepted points (s = x₊ − x = α p, so gᵀs = α gᵀp).</summary>
    private static void AssertWolfe(IReadOnlyList<LbfgsIterate> path, double c1, double c2)
    {
        for (int k = 1; k < path.Count; k++)
        {
            var (a, b) = (path[k - 1], path[k]);
            double gs0 = 0, gs1 = 0;
            for (int i = 0; i < a.X.Length; i++)
            {
                double s = b.X[i] - a.X[i];
                gs0 += a.Gradient[i] * s;
                gs1 += b.Gradient[i] * s;
            }
            Assert.True(gs0 < 0, $"step {k}: not a descent step (gᵀs = {gs0})");
            Assert.True(b.Value <= a.Value + c1 * gs0, $"step {k}: sufficient decrease fails ({b.Value} > {a.Value} + {c1}·{gs0})");
            Assert.True(Math.Abs(gs1) <= c2 * Math.Abs(gs0) + 1e-300, $"step {k}: curvature fails (|{gs1}| > {c2}·|{gs0}|)");
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(10)]
    public void MinimizesRosenbrockWithWolfeStepsEverywhere(int dimension)
    {
        var start = new double[dimension];
        for (int i = 0; i < dimension; i++) start[i] = i % 2 == 0 ? -1.2 : 1.0;
        var path = new List<LbfgsIterate>();
        var result = Lbfgs.Minimize(Rosenbrock, start, new LbfgsOptions { GradientTolerance = 1e-10, RelativeTolerance = 0, StepTolerance = 0, MaxIterations = 2000 }, path.Add);
        Assert.True(result.Converged, $"stopped by {result.Stop}");
        foreach (double v in result.X) Assert.Equal(1.0, v, 6);
        AssertWolfe(path, 1e-4, 0.9);
        Assert.Equal(result.Iterations + 1, path.Count);
    }

    [Fact]
    public void FindsTheExactMinimizerOfIllConditionedQuadratics()
    {
        // f = ½ (x − x*)ᵀ A (x − x*) with A = Q diag(λ) Qᵀ, condition number 1e6, Q a rotation mixing every pair of
        // coordinates. Written about x* (minimum value 0) so that f keeps its relative precision near the optimum: in the
        // form ½ xᵀAx − bᵀx the last decreases are below f's rounding and no line search can see them.
        int n = 8;
        var lambda = Enumerable.Range(0, n).Select(i => Math.Pow(10, 6.0 * i / (n - 1))).ToArray();
        var q = new double[n, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) q[i, j] = Math.Sqrt(2.0 / (n + 1)) * Math.Sin(Math.PI * (i + 1) * (j + 1) / (n + 1));
        var a = new double[n, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int k = 0; k < n; k++) a[i, j] += q[i, k] * lambda[k] * q[j, k];
        var exact = Enumerable.Range(0, n).Select(i => 1.0 + 0.5 * i).ToArray();
        double F(ReadOnlySpan<double> x, Span<double> g)
        {
            double f = 0;
            for (int i = 0; i < n; i++)
            {
                double ad = 0;
                for (int j = 0; j < n; j++) ad += a[i, j] * (x[j] - exact[j]);
                g[i] = ad;
                f += 0.5 * (x[i] - exact[i]) * ad;
            }
            return f;
        }
        var path = new List<LbfgsIterate>();
        var result = Lbfgs.Minimize(F, new double[n], new LbfgsOptions { GradientTolerance = 1e-9, RelativeTolerance = 0, StepTolerance = 0, History = 5, MaxIterations = 5000 }, path.Add);
        Assert.Equal(LbfgsStop.Gradient, result.Stop);
        // ‖x − x*‖ ≤ ‖A⁻¹‖ ‖∇f‖ ≤ 1e-9 · √n at the stop
        for (int i = 0; i < n; i++) Assert.Equal(exact[i], result.X[i], 8);
        AssertWolfe(path, 1e-4, 0.9);
    }

    [Fact]
    public void AnExactLineSearchOnAQuadraticTerminatesInDimensionSteps()
    {
        // With c₂ → 0 the line search is exact and L-BFGS with history ≥ n is conjugate gradients: n steps on a quadratic.
        var lambda = new[] { 1.0, 10, 100, 1000 };
        double F(ReadOnlySpan<double> x, Span<double> g)
        {
            double f = 0;
            for (int i = 0; i < x.Length; i++) { double d = x[i] - 1 / lambda[i]; g[i] = lambda[i] * d; f += 0.5 * lambda[i] * d * d; }
            return f;
        }
        var result = Lbfgs.Minimize(F, new double[4], new LbfgsOptions
        {
            History = 4, GradientTolerance = 1e-9, RelativeTolerance = 0, StepTolerance = 0,
            LineSearch = new StrongWolfeLineSearch(1e-12, 1e-8, maxEvaluations: 100),
        });
        Assert.True(result.Iterations <= 5, $"{result.Iterations} iterations");
        for (int i = 0; i < 4; i++) Assert.Equal(1 / lambda[i], result.X[i], 9);
    }

    [Fact]
    public void AGradientThatDoesNotMatchTheFunctionFailsTheLineSearchClearly()
    {
        // The reported gradient has the wrong sign: the "descent" direction goes uphill and no step decreases f enough.
        static double Wrong(ReadOnlySpan<double> x, Span<double> g)
        {
            double f = 0;
            for (int i = 0; i < x.Length; i++) { f += x[i] * x[i]; g[i] = -2 * x[i]; }
            return f;
        }
        var e = Assert.Throws<LineSearchFailedException>(() => Lbfgs.Minimize(Wrong, [1.0, 2.0]));
        Assert.Contains("L-BFGS iteration 1", e.Message);
        Assert.Contains("line search", e.Message);
    }

    [Fact]
    public void ANonDescentDirectionIsNamed()
    {
        static double F(ReadOnlySpan<double> x, Span<double> g) { g[0] = 2 * x[0]; return x[0] * x[0]; }
        var e = Assert.Throws<LineSearchFailedException>(() => new StrongWolfeLineSearch().Search(F, [1.0], 1.0, [2.0], [1.0]));
        Assert.Contains("not a descent direction", e.Message);
    }

    [Fact]
    public void ANonFiniteStartIsRejected()
    {
        static double F(ReadOnlySpan<double> x, Span<double> g) { g[0] = 0; return double.NaN; }
        var e = Assert.Throws<ArgumentException>(() => Lbfgs.Minimize(F, [0.0]));
        Assert.Contains("not finite at the start", e.Message);
    }

    [Fact]
    public void StepsBackFromWhereTheFunctionIsUndefined()
    {
        // f = x − log x is defined only for x > 0; from x = 0.1 the first trial step overshoots into x < 0.
        static double F(ReadOnlySpan<double> x, Span<double> g)
        {
            g[0] = 1 - 1 / x[0];
            return x[0] > 0 ? x[0] - Math.Log(x[0]) : double.NaN;
        }
        var result = Lbfgs.Minimize(F, [0.1], new LbfgsOptions { GradientTolerance = 1e-10 });
        Assert.Equal(1.0, result.X[0], 7);
    }
}
