using Vinfer.Distributions;
using Vinfer.Guides;
using Vinfer.Inference;
using Vinfer.Modeling;
using Vinfer.Optim;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Tests.Inference;

public class PathfinderTests
{
    // A correlated Gaussian target: z ~ N(μ, L Lᵀ) with condition number ~ 100.
    private static readonly double[] Mu = [1, -2, 3, 0.5];
    private static readonly double[] L = [2, 0, 0, 0, 0.5, 1, 0, 0, -0.3, 0.2, 0.1, 0, 0.7, -0.4, 0.05, 0.3];

    private static void GaussianModel() => Sample("z", new MultivariateNormal(Tensor.FromArray(Mu, 4), scaleTril: Tensor.FromArray(L, 4, 4)));

    private static double[] Covariance(double[] lower, int d)
    {
        var c = new double[d * d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) for (int k = 0; k < d; k++) c[i * d + j] += lower[i * d + k] * lower[j * d + k];
        return c;
    }

    [Fact]
    public void OnAGaussianTargetTheChosenApproximationIsTheExactPosterior()
    {
        // With an exact line search (c₂ → 0) and history ≥ D, L-BFGS on a quadratic makes D conjugate steps, so the
        // inverse-Hessian estimate from its pairs is exactly Σ (the BFGS hereditary property holds for any initial
        // diagonal); the Newton step from there lands on μ, and that iterate's ELBO (= log Z = 0, with no variance) is the best.
        var result = Pathfinder.Run(GaussianModel, new PathfinderOptions
        {
            Paths = 1, DrawsPerPath = 200, Draws = 200,
            Lbfgs = new LbfgsOptions { History = 6, LineSearch = new StrongWolfeLineSearch(1e-12, 1e-8, 100) },
        });
        var q = result.Best.Approximation!;
        for (int i = 0; i < 4; i++) Assert.Equal(Mu[i], q.Mean[i], 8);
        var exact = Covariance(L, 4);
        var fitted = Covariance(q.CholeskyFactor(), 4);
        for (int i = 0; i < 16; i++) Assert.Equal(exact[i], fitted[i], 8);
        Assert.Equal(0.0, result.Best.BestElbo, 8);
        Assert.True(result.KHat < 0.5, $"k̂ {result.KHat}");
    }

    [Fact]
    public void TheLowRankFactorizationEqualsTheBfgsRecursionItSummarizes()
    {
        // Σ from PathfinderNormal (QR + Cholesky of the compact form) against the explicit BFGS recursion
        // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ from H₀ = diag(α), with 3 pairs in 7 dimensions (2m < D: the thin path).
        int d = 7, m = 3;
        var rng = new System.Random(3);
        var a = new double[d * d];
        for (int i = 0; i < d; i++) { a[i * d + i] = 1 + i; for (int j = 0; j < i; j++) a[i * d + j] = a[j * d + i] = 0.3 * (rng.NextDouble() - 0.5); }
        var alpha = Enumerable.Range(0, d).Select(i => 0.5 + rng.NextDouble()).ToArray();
        var pairs = new List<(double[] S, double[] Y)>();
        for (int k = 0; k < m; k++)
        {
            var s = Enumerable.Range(0, d).Select(_ => rng.NextDouble() - 0.5).ToArray();
            var y = new double[d];
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) y[i] += a[i * d + j] * s[j];
            pairs.Add((s, y));
        }
        var x = Enumerable.Range(0, d).Select(i => 0.1 * i).ToArray();
        var g = Enumerable.Range(0, d).Select(i => 1.0 - 0.2 * i).ToArray();
        var normal = PathfinderNormal.Create(x, g, alpha, pairs)!;
        var h = new double[d * d];
        for (int i = 0; i < d; i++) h[i * d + i] = alpha[i];
        foreach (var (s, y) in pairs)
        {
            double rho = 1 / s.Zip(y, (u, v) => u * v).Sum();
            var left = new double[d * d];
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) left[i * d + j] = (i == j ? 1 : 0) - rho * s[i] * y[j];
            var next = new double[d * d];
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++)
            {
                double v = 0;
                for (int k = 0; k < d; k++) for (int l = 0; l < d; l++) v += left[i * d + k] * h[k * d + l] * left[j * d + l];
                next[i * d + j] = v + rho * s[i] * s[j];
            }
            h = next;
        }
        var dense = Covariance(normal.CholeskyFactor(), d);
        for (int i = 0; i < d * d; i++) Assert.Equal(h[i], dense[i], 10);
        // μ = x + Σ g, and log q of a draw is the dense normal's log density there
        for (int i = 0; i < d; i++) Assert.Equal(x[i] + Enumerable.Range(0, d).Sum(j => h[i * d + j] * g[j]), normal.Mean[i], 10);
        var u = Enumerable.Range(0, d).Select(i => Math.Sin(i + 1.0)).ToArray();
        var draw = new double[d];
        double logQ = normal.Draw(u, draw);
        var chol = normal.CholeskyFactor();
        var diff = draw.Zip(normal.Mean, (p, q) => p - q).ToArray();
        Vinfer.Tensors.Kernels.Cholesky.SolveLower(chol, d, diff, 1);
        double expected = -0.5 * diff.Sum(v => v * v) - Enumerable.Range(0, d).Sum(i => Math.Log(chol[i * d + i])) - 0.5 * d * Math.Log(2 * Math.PI);
        Assert.Equal(expected, logQ, 9);
    }

    [Fact]
    public void ZeroPathsIsRejectedByName()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Pathfinder.Run(GaussianModel, new PathfinderOptions { Paths = 0 }));
        Assert.Contains("paths must be at least 1, got 0", e.Message);
    }

    [Fact]
    public void ALogDensityThatIsNowhereFiniteFailsEveryPathClearly()
    {
        static void Nowhere()
        {
            var z = Sample("z", new Normal(0.0, 1.0));
            Factor("broken", z * double.NaN);
        }
        var e = Assert.Throws<InvalidOperationException>(() => Pathfinder.Run(Nowhere, new PathfinderOptions { Paths = 2, InitAttempts = 10 }));
        Assert.Contains("every one of the 2 path(s) failed", e.Message);
        Assert.Contains("not finite at any of the 10 initial points tried (uniform(-2, 2)", e.Message);
    }

    [Fact]
    public void APreconditionedGuideSavesAndLoadsWithItsWhitening()
    {
        var result = Pathfinder.Run(GaussianModel, new PathfinderOptions { Paths = 1, DrawsPerPath = 20, Draws = 20 });
        var json = result.BestGuide.ToJson(result.BestStore);
        var loaded = GuideFile.FromJson(json);
        var guide = Assert.IsType<AutoMultivariateNormal>(loaded.Guide);
        Assert.NotNull(guide.Preconditioner);
        using var _ = loaded.Store.Use();
        var mean = ((MultivariateNormal)guide.LatentDistribution()).Loc.ToArray();
        for (int i = 0; i < 4; i++) Assert.Equal(result.Best.Approximation!.Mean[i], mean[i], 12);
    }
}
