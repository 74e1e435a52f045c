using Vinfer.Inference;
using Vinfer.Random;

namespace Vinfer.Tests.Inference;

/// <summary>
/// The monotonic alpha update of a 1-D Gaussian computed exactly by quadrature on non-Gaussian targets: D_α falls at
/// every step, the iterations converge, the limit is a stationary point of D_α over the Gaussians, and the Monte Carlo
/// version reaches that limit within its derived Monte Carlo error.
/// </summary>
public class AlphaMomentsGaussianUpdateTests
{
    private const double Nu = 3, TLoc = 1.0, TScale = 1.5;

    /// <summary>Student-t with 3 degrees of freedom, location 1, scale 1.5 (unnormalized).</summary>
    private static double StudentT(double x)
    {
        double z = (x - TLoc) / TScale;
        return -(Nu + 1) / 2 * Math.Log(1 + z * z / Nu);
    }

    /// <summary>0.3 N(−2, 0.8²) + 0.7 N(1.5, 1.2²).</summary>
    private static double TwoComponents(double x)
    {
        double a = Math.Log(0.3) + AlphaQuadrature.NormalLogDensity(x, -2, 0.64);
        double b = Math.Log(0.7) + AlphaQuadrature.NormalLogDensity(x, 1.5, 1.44);
        double max = Math.Max(a, b);
        return max + Math.Log(Math.Exp(a - max) + Math.Exp(b - max));
    }

    private static readonly Dictionary<string, Func<double, double>> Targets = new()
    {
        ["student-t"] = StudentT,
        ["two-components"] = TwoComponents,
    };

    private static AlphaQuadrature Grid(string target) => new(-60, 60, 12001, Targets[target]);

    private static double[] LogGuide(AlphaQuadrature grid, double mean, double variance) =>
        grid.Nodes.Select(x => AlphaQuadrature.NormalLogDensity(x, mean, variance)).ToArray();

    /// <summary>One exact update: ζ as quadrature nodes, through the library's update.</summary>
    private static (double Mean, double Variance) ExactStep(AlphaQuadrature grid, double mean, double variance, double alpha, double damping)
    {
        var zeta = grid.Zeta(LogGuide(grid, mean, variance), alpha);
        var (m, v) = AlphaMomentsGaussianUpdate.Diagonal([mean], [variance], grid.Nodes, zeta, damping);
        return (m[0], v[0]);
    }

    private static List<(double Mean, double Variance)> ExactIterations(AlphaQuadrature grid, double alpha, double damping, int steps)
    {
        var path = new List<(double, double)> { (-3.0, 0.25) };
        for (int k = 0; k < steps; k++) path.Add(ExactStep(grid, path[^1].Item1, path[^1].Item2, alpha, damping));
        return path;
    }

    [Theory]
    [InlineData("student-t", 0.5, 1.0)]
    [InlineData("student-t", 0.5, 0.5)]
    [InlineData("student-t", 0.2, 0.3)]
    [InlineData("two-components", 0.5, 1.0)]
    [InlineData("two-components", 0.8, 0.5)]
    [InlineData("two-components", 0.0, 0.5)]
    public void ExactUpdateDecreasesTheDivergenceAtEveryStepAndConverges(string target, double alpha, double damping)
    {
        var grid = Grid(target);
        var path = ExactIterations(grid, alpha, damping, 300);
        var divergences = path.Select(p => grid.Divergence(LogGuide(grid, p.Mean, p.Variance), alpha)).ToArray();
        for (int k = 1; k < divergences.Length; k++)
            Assert.True(divergences[k] <= divergences[k - 1] + 1e-13, $"step {k}: D_α rose from {divergences[k - 1]:R} to {divergences[k]:R}");
        Assert.True(divergences[1] < divergences[0] - 1e-3, "the first update must make real progress from a poor start");
        var (m, v) = path[^1];
        var (m2, v2) = ExactStep(grid, m, v, alpha, damping);
        Assert.True(Math.Abs(m2 - m) < 1e-10 && Math.Abs(v2 - v) < 1e-10, $"not converged: ({m}, {v}) → ({m2}, {v2})");

        // Independent of the update's algebra: its fixed point is a stationary point (minimum) of D_α over N(m, v).
        double D(double mean, double variance) => grid.Divergence(LogGuide(grid, mean, variance), alpha);
        const double h = 1e-4;
        double dm = (D(m + h, v) - D(m - h, v)) / (2 * h), dv = (D(m, v + h) - D(m, v - h)) / (2 * h);
        Assert.True(Math.Abs(dm) < 1e-7 && Math.Abs(dv) < 1e-7, $"gradient of D_α at the fixed point: ({dm}, {dv})");
        foreach (var (em, ev) in new[] { (0.05, 0.0), (-0.05, 0.0), (0.0, 0.05), (0.0, -0.05) })
            Assert.True(D(m + em, v + ev) > D(m, v), "the fixed point must be a local minimum of D_α");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void GaussianTargetIsTheFixedPointForAnyAlpha(double alpha)
    {
        var grid = new AlphaQuadrature(-40, 40, 16001, x => AlphaQuadrature.NormalLogDensity(x, 0.7, 1.69));
        double m = -3, v = 0.25;
        for (int k = 0; k < 400; k++) (m, v) = ExactStep(grid, m, v, alpha, 0.7);
        Assert.Equal(0.7, m, 9);
        Assert.Equal(1.69, v, 9);
    }

    [Fact]
    public void AlphaZeroMatchesTheTargetsMomentsInOneUndampedStep()
    {
        // ζ = p at α = 0: the update is moment matching (minimizes KL(p‖q)); the mixture's mean and variance are known.
        var grid = Grid("two-components");
        var (m, v) = ExactStep(grid, -3, 0.25, 0.0, 1.0);
        double mean = 0.3 * -2 + 0.7 * 1.5;
        double variance = 0.3 * (0.64 + 4) + 0.7 * (1.44 + 2.25) - mean * mean;
        Assert.Equal(mean, m, 10);
        Assert.Equal(variance, v, 10);
    }

    [Fact]
    public void SmallerAlphaCoversMoreMass()
    {
        // The mass-covering end (α → 0) gives the widest Gaussian on a bimodal target; α → 1 the narrowest.
        var grid = Grid("two-components");
        double previous = double.PositiveInfinity;
        foreach (var alpha in new[] { 0.0, 0.3, 0.6, 0.9 })
        {
            var (_, v) = ExactIterations(grid, alpha, 1.0, 300)[^1];
            Assert.True(v < previous, $"α = {alpha}: variance {v} is not below {previous}");
            previous = v;
        }
    }

    [Theory]
    // On the Student-t the estimate of the variance has finite variance only for α > 1/2: E_q[(ζ/q)²(x − m)⁴] is
    // ∫ q^{2α−1} p^{2−2α} (x − m)⁴ up to constants, which diverges for α ≤ 1/2 under the t's x⁻⁴ tails.
    [InlineData("student-t", 0.7, 8000)]
    [InlineData("two-components", 0.5, 2000)]
    [InlineData("two-components", 0.2, 8000)]
    public void MonteCarloIterationsReachTheExactFixedPointWithinMonteCarloError(string target, double alpha, int samples)
    {
        const int steps = 400, averaged = 200;
        const double damping = 0.5;
        var grid = Grid(target);
        var exact = ExactIterations(grid, alpha, damping, 400);
        var (mStar, vStar) = exact[^1];
        // The damped exact map contracts at rate ρ near its fixed point (read from the exact path); averaged iterates
        // then carry the per-step estimation noise ε amplified by γ/(1 − ρ) and divided by √(averaged steps).
        double Distance(int k) => Math.Sqrt(Math.Pow(exact[k].Mean - exact[k - 1].Mean, 2) + Math.Pow(exact[k].Variance - exact[k - 1].Variance, 2));
        double rho = Distance(60) / Distance(59);
        Assert.InRange(rho, 0, 0.95);
        Assert.True(Math.Pow(rho, steps - averaged) < 1e-6, $"the start is forgotten before averaging begins (ρ = {rho})");
        double amplification = damping / (1 - rho);
        var logQ = LogGuide(grid, mStar, vStar);
        var (seMean, biasMean) = grid.ImportanceError(logQ, alpha, x => x, samples);
        var (seVar, biasVar) = grid.ImportanceError(logQ, alpha, x => (x - mStar) * (x - mStar), samples);
        // The damped variance adds γ(1−γ)(m̂ − m)², whose mean is O(se_m²): a bias of the iterates too.
        biasVar += (1 - damping) * 3 * seMean * seMean;
        double noise = 5 * Math.Sqrt(seMean * seMean + seVar * seVar) / Math.Sqrt(averaged);
        double tolMean = amplification * (noise + biasMean + biasVar), tolVar = tolMean;

        double m = -3, v = 0.25, mSum = 0, secondSum = 0;
        var root = new RandomStream(7);
        for (int k = 0; k < steps; k++)
        {
            var random = root.Split();
            var points = new double[samples];
            Sample.Normal(random.NextKey(), m, Math.Sqrt(v), points);
            var logP = points.Select(Targets[target]).ToArray();
            var logQk = points.Select(x => AlphaQuadrature.NormalLogDensity(x, m, v)).ToArray();
            var weights = AlphaMomentsWeights.Importance(logP, logQk, alpha);
            var (mn, vn) = AlphaMomentsGaussianUpdate.Diagonal([m], [v], points, weights, damping);
            (m, v) = (mn[0], vn[0]);
            if (k >= steps - averaged) { mSum += m; secondSum += v + m * m; }
        }
        double mBar = mSum / averaged, vBar = secondSum / averaged - mBar * mBar;
        Assert.True(Math.Abs(mBar - mStar) <= tolMean, $"mean {mBar} vs exact {mStar}: tolerance {tolMean}");
        Assert.True(Math.Abs(vBar - vStar) <= tolVar, $"variance {vBar} vs exact {vStar}: tolerance {tolVar}");
        // The tolerance must be tight enough to mean something.
        Assert.True(tolMean < 0.1 * Math.Sqrt(vStar), $"tolerance {tolMean} is too loose (ρ {rho}, se {seMean}, {seVar}, bias {biasMean}, {biasVar})");
    }
}
