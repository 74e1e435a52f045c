using Vinfer.Inference;
using Vinfer.Random;

namespace Vinfer.Tests.Inference;

/// <summary>
/// The monotonic alpha update of the weights of a Gaussian mixture with fixed components, exactly by quadrature on
/// a two-component target and a Student-t: D_α falls at every step, the limit satisfies the optimality conditions of
/// min D_α over the simplex (E_ζ[k_j/q] = 1 on the support), and the Monte Carlo version
/// (<see cref="AlphaMomentsGaussianMixture"/>) reaches it within its derived Monte Carlo error.
/// </summary>
public class AlphaMomentsMixtureWeightsTests
{
    private static readonly double[] ComponentMeans = [-3, 0, 3];
    private const double ComponentSd = 1.0;

    private static double TwoComponents(double x)
    {
        double a = Math.Log(0.3) + AlphaQuadrature.NormalLogDensity(x, -2, 0.64);
        double b = Math.Log(0.7) + AlphaQuadrature.NormalLogDensity(x, 1.5, 1.44);
        double max = Math.Max(a, b);
        return max + Math.Log(Math.Exp(a - max) + Math.Exp(b - max));
    }

    private static double StudentT(double x) => -2 * Math.Log(1 + (x - 1) * (x - 1) / (3 * 2.25));

    private static Func<double, double> Target(string name) => name == "student-t" ? StudentT : TwoComponents;

    private static AlphaMomentsGaussianMixture Mixture(double[] weights) =>
        new(1, ComponentMeans, ComponentMeans.Select(_ => ComponentSd).ToArray(), weights);

    private static double[] Uniform => ComponentMeans.Select(_ => 1.0 / ComponentMeans.Length).ToArray();

    private static double[] ExactStep(AlphaQuadrature grid, double[] weights, double alpha, double damping)
    {
        var mixture = Mixture(weights);
        var zeta = grid.Zeta(mixture.LogDensity(grid.Nodes), alpha);
        return AlphaMomentsMixtureWeights.Update(weights, mixture.ComponentLogDensities(grid.Nodes), zeta, damping);
    }

    private static List<double[]> ExactIterations(AlphaQuadrature grid, double alpha, double damping, int steps)
    {
        var path = new List<double[]> { Uniform };
        for (int k = 0; k < steps; k++) path.Add(ExactStep(grid, path[^1], alpha, damping));
        return path;
    }

    [Theory]
    [InlineData("two-components", 0.5, 1.0)]
    [InlineData("two-components", 0.2, 0.5)]
    [InlineData("student-t", 0.5, 0.6)]
    public void ExactWeightUpdateDecreasesTheDivergenceAndReachesTheOptimum(string target, double alpha, double damping)
    {
        var grid = new AlphaQuadrature(-40, 40, 8001, Target(target));
        var path = ExactIterations(grid, alpha, damping, 400);
        double previous = double.PositiveInfinity;
        foreach (var w in path)
        {
            double d = grid.Divergence(Mixture(w).LogDensity(grid.Nodes), alpha);
            Assert.True(d <= previous + 1e-13, $"D_α rose from {previous:R} to {d:R}");
            previous = d;
        }
        var fixedPoint = path[^1];
        Assert.Equal(1.0, fixedPoint.Sum(), 12);
        // Optimality over the simplex (Karush–Kuhn–Tucker): ∂D_α/∂w_j ∝ −E_ζ[k_j/q] is the same for every component
        // with positive weight, and E_ζ[k_j/q] = Σ_j w_j E_ζ[k_j/q] = 1.
        var mixture = Mixture(fixedPoint);
        var zeta = grid.Zeta(mixture.LogDensity(grid.Nodes), alpha);
        var logK = mixture.ComponentLogDensities(grid.Nodes);
        var logQ = mixture.LogDensity(grid.Nodes);
        for (int j = 0; j < ComponentMeans.Length; j++)
        {
            double e = 0;
            for (int i = 0; i < zeta.Length; i++) e += zeta[i] * Math.Exp(logK[i * ComponentMeans.Length + j] - logQ[i]);
            if (fixedPoint[j] > 1e-3) Assert.Equal(1.0, e, 6);
            else Assert.True(e <= 1 + 1e-6, $"component {j} (weight {fixedPoint[j]}) would lower D_α: E_ζ[k/q] = {e}");
        }
        // And a direct check: moving weight between any two components raises D_α.
        double dStar = grid.Divergence(logQ, alpha);
        for (int a = 0; a < fixedPoint.Length; a++)
            for (int b = 0; b < fixedPoint.Length; b++)
            {
                if (a == b || fixedPoint[b] < 0.01) continue;
                var moved = (double[])fixedPoint.Clone();
                moved[a] += 0.01;
                moved[b] -= 0.01;
                Assert.True(grid.Divergence(Mixture(moved).LogDensity(grid.Nodes), alpha) > dStar, $"moving weight {b} → {a} lowered D_α");
            }
    }

    [Theory]
    [InlineData("two-components", 0.5)]
    [InlineData("student-t", 0.7)]
    public void MonteCarloWeightsReachTheExactFixedPointWithinMonteCarloError(string target, double alpha)
    {
        const int samples = 4000, steps = 400, averaged = 200;
        const double damping = 0.5;
        var grid = new AlphaQuadrature(-40, 40, 8001, Target(target));
        var exact = ExactIterations(grid, alpha, damping, 400);
        var wStar = exact[^1];
        double Distance(int k) => Math.Sqrt(exact[k].Zip(exact[k - 1], (x, y) => (x - y) * (x - y)).Sum());
        double rho = Distance(100) / Distance(99);
        Assert.True(rho is >= 0 and < 0.95, $"ρ = {rho}");
        // Iterations to forget the start: ρ^(steps − averaged) from a distance of at most 1.
        Assert.True(Math.Pow(rho, steps - averaged) < 1e-6, $"the start is not forgotten (ρ = {rho})");
        double amplification = damping / (1 - rho);
        var mixture = Mixture(wStar);
        var logQ = mixture.LogDensity(grid.Nodes);
        double variance = 0, bias = 0;
        var logQAt = grid.Nodes.Select((x, i) => (x, i)).ToDictionary(p => p.x, p => logQ[p.i]);
        for (int j = 0; j < wStar.Length; j++)
        {
            int component = j;
            // The responsibility w_j k_j(x)/q(x) whose ζ-mean is the new weight.
            var (se, b) = grid.ImportanceError(logQ, alpha,
                x => wStar[component] * Math.Exp(AlphaQuadrature.NormalLogDensity(x, ComponentMeans[component], ComponentSd * ComponentSd) - logQAt[x]),
                samples);
            variance += se * se;
            bias += b * b;
        }
        double tolerance = amplification * (5 * Math.Sqrt(variance / averaged) + Math.Sqrt(bias));

        var mc = Mixture(Uniform);
        var sum = new double[wStar.Length];
        var root = new RandomStream(11);
        var f = Target(target);
        for (int k = 0; k < steps; k++)
        {
            mc.Step(root.Split(), points => points.Select(f).ToArray(), alpha, damping, samples);
            if (k >= steps - averaged) for (int j = 0; j < sum.Length; j++) sum[j] += mc.Weights[j];
        }
        double error = Math.Sqrt(sum.Select((s, j) => Math.Pow(s / averaged - wStar[j], 2)).Sum());
        Assert.True(error <= tolerance, $"averaged weights [{string.Join(", ", sum.Select(s => (s / averaged).ToString("F4")))}] vs exact [{string.Join(", ", wStar.Select(w => w.ToString("F4")))}]: error {error}, tolerance {tolerance}");
        Assert.True(tolerance < 0.03, $"tolerance {tolerance} is too loose");
    }

    [Fact]
    public void BadInputIsRejectedWithTheArgumentNamed()
    {
        var mixture = Mixture(Uniform);
        var random = new RandomStream(1);
        Func<double[], double[]> target = p => p.Select(TwoComponents).ToArray();
        Assert.Contains("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => mixture.Step(random, target, 1.0, 0.5, 10)).Message);
        Assert.Contains("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => mixture.Step(random, target, double.NaN, 0.5, 10)).Message);
        Assert.Contains("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => mixture.Step(random, target, -0.1, 0.5, 10)).Message);
        Assert.Contains("damping", Assert.Throws<ArgumentOutOfRangeException>(() => mixture.Step(random, target, 0.5, 0, 10)).Message);
        Assert.Contains("damping", Assert.Throws<ArgumentOutOfRangeException>(() => mixture.Step(random, target, 0.5, 1.5, 10)).Message);
        Assert.Contains("samples", Assert.Throws<ArgumentOutOfRangeException>(() => mixture.Step(random, target, 0.5, 0.5, 1)).Message);
        Assert.Throws<ArgumentException>(() => new AlphaMomentsGaussianMixture(1, [0.0, 1.0], [1.0, 1.0], [0.5, 0.6]));
    }
}
