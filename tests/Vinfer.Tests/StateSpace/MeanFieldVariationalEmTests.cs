using MathNet.Numerics.LinearAlgebra;
using Vinfer.StateSpace;

namespace Vinfer.Tests.StateSpace;

public class MeanFieldVariationalEmTests
{
    [Fact]
    public void ElboNeverDecreasesAcrossEitherCoordinateStep()
    {
        double[] y = Ar1TestData.Series(300, seed: 2);
        var vem = new MeanFieldVariationalEm(y, Ar1TestData.X0);
        var random = new System.Random(13);
        for (int start = 0; start < 10; start++)
        {
            var theta = Ar1TestData.RandomStart(random);
            double previous = double.NegativeInfinity;
            for (int k = 0; k < 60; k++)
            {
                // E-step at θ_k: ELBO(θ_k, q_{k+1}) ≥ ELBO(θ_k, q_k).
                var s = vem.UpdateVariational(theta, out double entropy);
                double afterE = theta.ExpectedCompleteLogLikelihood(s) + entropy;
                Assert.True(afterE >= previous - 1e-9 * Math.Abs(afterE), $"E-step {k}: {afterE} < {previous}");
                // M-step: ELBO(θ_{k+1}, q_{k+1}) ≥ ELBO(θ_k, q_{k+1}).
                theta = Ar1NoiseModel.Maximize(s);
                double afterM = theta.ExpectedCompleteLogLikelihood(s) + entropy;
                Assert.True(afterM >= afterE - 1e-9 * Math.Abs(afterE), $"M-step {k}: {afterM} < {afterE}");
                // And the bound holds at every iterate.
                Assert.True(afterM <= vem.LogLikelihood(theta) + 1e-9 * Math.Abs(afterM));
                previous = afterM;
            }
        }
    }

    [Fact]
    public void ElboIsBelowTheLogLikelihoodForAnyParametersAndAnyMeanFieldQ()
    {
        double[] y = Ar1TestData.Series(40, seed: 6);
        var vem = new MeanFieldVariationalEm(y, Ar1TestData.X0);
        var random = new System.Random(21);
        for (int trial = 0; trial < 50; trial++)
        {
            var theta = Ar1TestData.RandomStart(random);
            var mu = new double[40];
            var v = new double[40];
            for (int t = 0; t < 40; t++) { mu[t] = 3 * random.NextDouble() - 1.5; v[t] = 0.05 + 2 * random.NextDouble(); }
            Assert.True(MeanFieldVariationalEm.Elbo(y, Ar1TestData.X0, theta, mu, v) < vem.LogLikelihood(theta));
            double optimal = vem.OptimalElbo(theta);
            Assert.True(optimal <= vem.LogLikelihood(theta));
            Assert.True(optimal >= MeanFieldVariationalEm.Elbo(y, Ar1TestData.X0, theta, mu, v));
        }
    }

    [Fact]
    public void ClosedFormElboEqualsLogLikelihoodMinusKlToTheDensePosterior()
    {
        // ELBO(θ, q) = log p_θ(Y) − KL(q ‖ p_θ(X | Y)), with the right side computed by dense linear algebra.
        double[] y = Ar1TestData.Series(8, seed: 1);
        var theta = new Ar1NoiseModel(0.7, 1.4, 0.8, 1.3);
        var dense = new DenseGaussianPosterior(theta.ToStateSpaceModel(Ar1TestData.X0), y);
        var mu = new double[8];
        var v = new double[8];
        var random = new System.Random(2);
        for (int t = 0; t < 8; t++) { mu[t] = random.NextDouble(); v[t] = 0.1 + random.NextDouble(); }
        // Posterior over X_1..X_8 (drop the known X_0).
        var m = dense.PosteriorMean.SubVector(1, 8);
        var s = dense.PosteriorCovariance.SubMatrix(1, 8, 1, 8);
        var qMean = Vector<double>.Build.Dense(mu);
        var qCov = Matrix<double>.Build.DenseOfDiagonalArray(v);
        var sInv = s.Inverse();
        double kl = 0.5 * ((sInv * qCov).Trace() + (m - qMean).DotProduct(sInv * (m - qMean)) - 8
                           + s.Cholesky().DeterminantLn - v.Sum(Math.Log));
        Assert.Equal(dense.LogLikelihood - kl, MeanFieldVariationalEm.Elbo(y, Ar1TestData.X0, theta, mu, v), 1e-9);
    }

    [Fact]
    public void VariationalUpdateIsAStationaryPointOfTheClosedFormElbo()
    {
        double[] y = Ar1TestData.Series(30, seed: 3);
        var theta = new Ar1NoiseModel(0.6, -0.9, 2.0, 0.7);
        var vem = new MeanFieldVariationalEm(y, Ar1TestData.X0);
        var s = vem.UpdateVariational(theta, out double entropy);
        double[] mu = vem.Means.ToArray();
        double[] v = Enumerable.Repeat(vem.InteriorVariance, 30).ToArray();
        v[29] = vem.LastVariance;

        double elbo = MeanFieldVariationalEm.Elbo(y, Ar1TestData.X0, theta, mu, v);
        Assert.Equal(elbo, theta.ExpectedCompleteLogLikelihood(s) + entropy, 1e-9);
        const double h = 1e-5;
        for (int t = 0; t < 30; t++)
        {
            double dMu = Central(d => { var a = (double[])mu.Clone(); a[t] += d; return MeanFieldVariationalEm.Elbo(y, Ar1TestData.X0, theta, a, v); }, h);
            double dV = Central(d => { var a = (double[])v.Clone(); a[t] += d; return MeanFieldVariationalEm.Elbo(y, Ar1TestData.X0, theta, mu, a); }, h);
            Assert.True(Math.Abs(dMu) < 1e-5, $"∂ELBO/∂μ_{t + 1} = {dMu}");
            Assert.True(Math.Abs(dV) < 1e-5, $"∂ELBO/∂v_{t + 1} = {dV}");
        }
        // The seed's printed b_θ = σ_h² ζ + σ_v²(1 + ψ²) (no square on ζ) gives a different, non-stationary variance here (ζ < 0).
        double seedVariance = theta.SigmaV2 * theta.SigmaH2 / (theta.SigmaH2 * theta.Zeta + theta.SigmaV2 * (1 + theta.Psi * theta.Psi));
        Assert.NotEqual(seedVariance, vem.InteriorVariance, 1e-3);

        // And the θ update is a stationary point of ELBO(·, q).
        var next = Ar1NoiseModel.Maximize(s);
        Func<Ar1NoiseModel, double> f = th => MeanFieldVariationalEm.Elbo(y, Ar1TestData.X0, th, mu, v);
        Assert.True(Math.Abs(Central(d => f(next with { Psi = next.Psi + d }), h)) < 1e-5);
        Assert.True(Math.Abs(Central(d => f(next with { Zeta = next.Zeta + d }), h)) < 1e-5);
        Assert.True(Math.Abs(Central(d => f(next with { SigmaH2 = next.SigmaH2 + d }), h)) < 1e-5);
        Assert.True(Math.Abs(Central(d => f(next with { SigmaV2 = next.SigmaV2 + d }), h)) < 1e-5);
    }

    [Fact]
    public void MeanFieldMeansAreTheExactPosteriorMeansAndVariancesAreTheInversePrecisionDiagonal()
    {
        // For a Gaussian target the mean-field optimum recovers the exact mean; v_t = 1/Λ_tt underestimates Var.
        double[] y = Ar1TestData.Series(12, seed: 5);
        var theta = new Ar1NoiseModel(0.88, 1.23, 1.34, 0.95);
        var vem = new MeanFieldVariationalEm(y, Ar1TestData.X0);
        vem.UpdateVariational(theta, out _);
        var dense = new DenseGaussianPosterior(theta.ToStateSpaceModel(Ar1TestData.X0), y);
        var precision = dense.PosteriorCovariance.SubMatrix(1, 12, 1, 12).Inverse();
        for (int t = 0; t < 12; t++)
        {
            Assert.Equal(dense.Mean(t + 1, 0), vem.Means[t], 1e-9);
            double v = t < 11 ? vem.InteriorVariance : vem.LastVariance;
            Assert.Equal(1.0 / precision[t, t], v, 1e-9);
            Assert.True(v < dense.Cov(t + 1, 0, t + 1, 0));
        }
    }

    [Fact]
    public void ConvergedVemLeavesAPositiveGap()
    {
        double[] y = Ar1TestData.Series(500, seed: 10);
        var vem = new MeanFieldVariationalEm(y, Ar1TestData.X0);
        var fit = vem.Fit(new Ar1NoiseModel(0.5, 1.0, 1.0, 1.0), maxIterations: 30000, tolerance: 1e-9);
        Assert.True(fit.Converged);
        Assert.True(fit.VariationalGap > 1.0, $"gap {fit.VariationalGap}");
    }

    private static double Central(Func<double, double> f, double h) => (f(h) - f(-h)) / (2 * h);
}
