using Vinfer.Conjugate;
using Vinfer.Inference;
using Vinfer.Random;

namespace Vinfer.Tests.Conjugate;

/// <summary>Bayesian linear regression: the CAVI fixed point against the exact Gaussian posterior and evidence.</summary>
public class BayesianLinearRegressionTests
{
    private static (double[] X, double[] Y) Data(int n, int d, double noise)
    {
        var key = new RandomKey(12);
        var x = new double[n * d];
        Sample.Normal(key.Child(0), x);
        for (int i = 0; i < n; i++) x[i * d + 1] += 0.8 * x[i * d]; // correlated columns, so mean-field is not exact
        var e = new double[n];
        Sample.Normal(key.Child(1), 0, noise, e);
        double[] w = [1.5, -2.0, 0.5, 0.0];
        var y = new double[n];
        for (int i = 0; i < n; i++) { for (int j = 0; j < d; j++) y[i] += x[i * d + j] * w[j]; y[i] += e[i]; }
        return (x, y);
    }

    [Fact]
    public void FixedPointHasExactMeansAndMeanFieldVariances()
    {
        var (x, y) = Data(50, 4, 0.7);
        double tau = 1 / (0.7 * 0.7);
        var model = new BayesianLinearRegression(x, y, priorPrecision: 2.0, noisePrecision: tau);
        var run = new FitLoop(model).Run(new SviOptions { Steps = 2000, EvalEvery = 1, AbsoluteTolerance = 1e-13 });
        Assert.True(run.Converged);
        for (int t = 1; t < run.ElboTrace.Length; t++) Assert.True(run.ElboTrace[t] >= run.ElboTrace[t - 1] - 1e-10 * Math.Abs(run.ElboTrace[t]));
        var (mean, _) = model.ExactPosterior();
        var precision = model.Precision(tau);
        for (int j = 0; j < 4; j++)
        {
            Assert.Equal(mean[j], model.Mean[j], 7);
            Assert.Equal(1 / precision[j * 4 + j], model.Variance[j], 12);
        }
        // log p(y) − ELBO = KL(q ‖ posterior) = ½(Σ log Λ_jj − log|Λ|) at the fixed point.
        var factor = (double[])precision.Clone();
        Vinfer.Tensors.Kernels.Cholesky.FactorLower(factor, 4);
        double gap = 0.5 * (Enumerable.Range(0, 4).Sum(j => Math.Log(precision[j * 4 + j])) - Vinfer.Tensors.Kernels.Cholesky.LogDeterminant(factor, 4));
        Assert.Equal(model.LogEvidence() - gap, run.ElboTrace[^1], 7);
    }

    [Fact]
    public void UnknownNoiseElboIncreasesAndFindsTheNoise()
    {
        var (x, y) = Data(400, 4, 0.7);
        var model = new BayesianLinearRegression(x, y, priorPrecision: 1.0);
        var run = new FitLoop(model).Run(new SviOptions { Steps = 500, EvalEvery = 1, AbsoluteTolerance = 1e-10 });
        for (int t = 1; t < run.ElboTrace.Length; t++) Assert.True(run.ElboTrace[t] >= run.ElboTrace[t - 1] - 1e-10 * Math.Abs(run.ElboTrace[t]));
        // E[τ] near 1/0.7² ≈ 2.04; its sampling sd with n = 400 is about 2.04·√(2/400) ≈ 0.14.
        Assert.InRange(model.ExpectedNoisePrecision, 2.04 - 0.6, 2.04 + 0.6);
    }
}
