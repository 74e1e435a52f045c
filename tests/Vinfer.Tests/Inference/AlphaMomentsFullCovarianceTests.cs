using Vinfer.Inference;

namespace Vinfer.Tests.Inference;

/// <summary>
/// The full-covariance monotonic alpha update computed exactly by 2-D quadrature: on a correlated bivariate Student-t
/// D_α falls at every step and the limit is the t's centre with its correlation (elliptical symmetry), a stationary
/// point of D_α; on a Gaussian target the limit is the target. And the damping is the paper's: a convex combination of
/// the mean parameters (E[x], E[x xᵀ]).
/// </summary>
public class AlphaMomentsFullCovarianceTests
{
    private const double Rho = 0.6, Nu = 5;
    private static readonly double[] Centre = [0.5, -1.0];
    private static readonly double[] Scales = [1.2, 0.8];

    private sealed class Grid2
    {
        public Grid2(double half, int perAxis, Func<double, double, double> logTarget)
        {
            double h = 2 * half / (perAxis - 1);
            Cell = h * h;
            Points = new double[perAxis * perAxis * 2];
            LogTarget = new double[perAxis * perAxis];
            for (int i = 0; i < perAxis; i++)
                for (int j = 0; j < perAxis; j++)
                {
                    int k = i * perAxis + j;
                    Points[2 * k] = -half + i * h;
                    Points[2 * k + 1] = -half + j * h;
                    LogTarget[k] = logTarget(Points[2 * k], Points[2 * k + 1]);
                }
            double max = LogTarget.Max();
            LogEvidence = max + Math.Log(LogTarget.Sum(v => Math.Exp(v - max)) * Cell);
        }

        public double Cell { get; }
        public double[] Points { get; }
        public double[] LogTarget { get; }
        public double LogEvidence { get; }
        public int Count => LogTarget.Length;

        public double[] LogGuide(double[] mean, double[] cov)
        {
            double det = cov[0] * cov[3] - cov[1] * cov[2];
            var result = new double[Count];
            for (int k = 0; k < Count; k++)
            {
                double a = Points[2 * k] - mean[0], b = Points[2 * k + 1] - mean[1];
                double quad = (cov[3] * a * a - 2 * cov[1] * a * b + cov[0] * b * b) / det;
                result[k] = -Math.Log(2 * Math.PI) - 0.5 * Math.Log(det) - 0.5 * quad;
            }
            return result;
        }

        public double[] Zeta(double[] logGuide, double alpha)
        {
            var log = new double[Count];
            for (int k = 0; k < Count; k++) log[k] = alpha * logGuide[k] + (1 - alpha) * LogTarget[k];
            return AlphaMomentsWeights.Normalize(log);
        }

        public double Divergence(double[] logGuide, double alpha)
        {
            double s = 0;
            for (int k = 0; k < Count; k++) s += Math.Exp(alpha * logGuide[k] + (1 - alpha) * (LogTarget[k] - LogEvidence));
            return (s * Cell - 1) / (alpha * (alpha - 1));
        }
    }

    private static double BivariateT(double x, double y)
    {
        double a = (x - Centre[0]) / Scales[0], b = (y - Centre[1]) / Scales[1];
        double quad = (a * a - 2 * Rho * a * b + b * b) / (1 - Rho * Rho);
        return -(Nu + 2) / 2 * Math.Log(1 + quad / Nu);
    }

    private static double BivariateNormal(double x, double y)
    {
        double a = (x - Centre[0]) / Scales[0], b = (y - Centre[1]) / Scales[1];
        return -0.5 * (a * a - 2 * Rho * a * b + b * b) / (1 - Rho * Rho);
    }

    [Fact]
    public void ExactFullCovarianceUpdateIsMonotonicAndFindsTheCorrelation()
    {
        const double alpha = 0.5, damping = 0.7;
        var grid = new Grid2(30, 401, BivariateT);
        double[] mean = [-2.0, 2.0], cov = [0.3, 0.0, 0.0, 0.3];
        double previous = grid.Divergence(grid.LogGuide(mean, cov), alpha);
        for (int k = 0; k < 120; k++)
        {
            var zeta = grid.Zeta(grid.LogGuide(mean, cov), alpha);
            (mean, cov) = AlphaMomentsGaussianUpdate.Full(mean, cov, grid.Points, zeta, damping);
            double d = grid.Divergence(grid.LogGuide(mean, cov), alpha);
            Assert.True(d <= previous + 1e-12, $"step {k}: D_α rose from {previous:R} to {d:R}");
            previous = d;
        }
        Assert.Equal(Centre[0], mean[0], 7);
        Assert.Equal(Centre[1], mean[1], 7);
        Assert.Equal(Rho, cov[1] / Math.Sqrt(cov[0] * cov[3]), 7);
        // The t's heavier tails make the α = 1/2 Gaussian wider than the t's scale matrix.
        Assert.True(cov[0] > Scales[0] * Scales[0] && cov[3] > Scales[1] * Scales[1]);
        // A stationary point of D_α in every covariance entry.
        double D(double[] c) => grid.Divergence(grid.LogGuide(mean, c), alpha);
        const double h = 1e-4;
        foreach (var (i, j) in new[] { (0, 0), (0, 1), (1, 1) })
        {
            var plus = (double[])cov.Clone();
            var minus = (double[])cov.Clone();
            plus[i * 2 + j] += h; plus[j * 2 + i] = plus[i * 2 + j];
            minus[i * 2 + j] -= h; minus[j * 2 + i] = minus[i * 2 + j];
            double g = (D(plus) - D(minus)) / (2 * h);
            Assert.True(Math.Abs(g) < 1e-6, $"∂D_α/∂Σ[{i},{j}] = {g} at the fixed point");
        }
    }

    [Fact]
    public void GaussianTargetIsTheFixedPoint()
    {
        var grid = new Grid2(12, 241, BivariateNormal);
        double[] mean = [-2.0, 2.0], cov = [0.3, 0.0, 0.0, 0.3];
        for (int k = 0; k < 200; k++)
            (mean, cov) = AlphaMomentsGaussianUpdate.Full(mean, cov, grid.Points, grid.Zeta(grid.LogGuide(mean, cov), 0.3), 0.8);
        Assert.Equal(Centre[0], mean[0], 8);
        Assert.Equal(Centre[1], mean[1], 8);
        Assert.Equal(Scales[0] * Scales[0], cov[0], 8);
        Assert.Equal(Scales[1] * Scales[1], cov[3], 8);
        Assert.Equal(Rho * Scales[0] * Scales[1], cov[1], 8);
    }

    [Fact]
    public void DampingIsAConvexCombinationOfTheMeanParameters()
    {
        // μ' = (1 − γ)μ + γ E_ζ[S] with S(x) = (x, x xᵀ), for both families (the diagonal family takes x_j²).
        double[] points = [0.3, -1.2, 2.0, 0.7, -0.4, 0.1, 1.1, 1.9];
        double[] weights = [0.1, 0.4, 0.2, 0.3];
        double[] mean = [0.5, -0.5], cov = [1.5, 0.4, 0.4, 0.9];
        const double gamma = 0.35;
        var (m, c) = AlphaMomentsGaussianUpdate.Full(mean, cov, points, weights, gamma);
        var (md, vd) = AlphaMomentsGaussianUpdate.Diagonal(mean, [cov[0], cov[3]], points, weights, gamma);
        for (int a = 0; a < 2; a++)
        {
            double ex = 0;
            for (int i = 0; i < 4; i++) ex += weights[i] * points[i * 2 + a];
            Assert.Equal((1 - gamma) * mean[a] + gamma * ex, m[a], 13);
            Assert.Equal(m[a], md[a], 13);
            for (int b = 0; b < 2; b++)
            {
                double exx = 0;
                for (int i = 0; i < 4; i++) exx += weights[i] * points[i * 2 + a] * points[i * 2 + b];
                double second = (1 - gamma) * (cov[a * 2 + b] + mean[a] * mean[b]) + gamma * exx;
                Assert.Equal(second, c[a * 2 + b] + m[a] * m[b], 13);
                if (a == b) Assert.Equal(second, vd[a] + md[a] * md[a], 13);
            }
        }
    }
}
