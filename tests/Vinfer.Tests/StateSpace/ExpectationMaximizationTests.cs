using Vinfer.StateSpace;

namespace Vinfer.Tests.StateSpace;

public class ExpectationMaximizationTests
{
    [Fact]
    public void LogLikelihoodNeverDecreasesAcrossEmSteps()
    {
        double[] y = Ar1TestData.Series(300, seed: 2);
        var em = new ExpectationMaximization(y, Ar1TestData.X0);
        var random = new System.Random(7);
        for (int start = 0; start < 10; start++)
        {
            var theta = Ar1TestData.RandomStart(random);
            double previous = em.LogLikelihood(theta);
            for (int k = 0; k < 60; k++)
            {
                theta = em.Step(theta, out double objective);
                Assert.Equal(previous, objective, 1e-9 * Math.Abs(previous)); // E-step reports log p at θ_k.
                double current = em.LogLikelihood(theta);
                Assert.True(current >= previous - 1e-9 * Math.Abs(previous), $"start {start}, step {k}: {current} < {previous}");
                previous = current;
            }
        }
    }

    [Fact]
    public void MStepMaximizesTheExpectedCompleteLogLikelihood()
    {
        // Q(θ') = E_{p_θ(X|Y)} log p_θ'(X, Y) has zero gradient at the closed-form M-step and is lower elsewhere.
        double[] y = Ar1TestData.Series(200, seed: 4);
        ScalarKalmanSmoother.SmoothStatistics(y, new Ar1NoiseModel(0.5, 1.0, 2.0, 2.0), Ar1TestData.X0,
            new double[200], new double[200], out var s);
        var best = Ar1NoiseModel.Maximize(s);
        double q0 = best.ExpectedCompleteLogLikelihood(s);
        const double h = 1e-5;
        Func<Ar1NoiseModel, double> q = m => m.ExpectedCompleteLogLikelihood(s);
        Assert.Equal(0.0, (q(best with { Psi = best.Psi + h }) - q(best with { Psi = best.Psi - h })) / (2 * h), 1e-4);
        Assert.Equal(0.0, (q(best with { Zeta = best.Zeta + h }) - q(best with { Zeta = best.Zeta - h })) / (2 * h), 1e-4);
        Assert.Equal(0.0, (q(best with { SigmaH2 = best.SigmaH2 + h }) - q(best with { SigmaH2 = best.SigmaH2 - h })) / (2 * h), 1e-4);
        Assert.Equal(0.0, (q(best with { SigmaV2 = best.SigmaV2 + h }) - q(best with { SigmaV2 = best.SigmaV2 - h })) / (2 * h), 1e-4);
        Assert.True(q(best with { Psi = best.Psi + 0.01, SigmaV2 = best.SigmaV2 * 1.01 }) < q0);
    }

    [Fact]
    public void FitConvergesToAStationaryPointOfTheLikelihood()
    {
        double[] y = Ar1TestData.Series(400, seed: 8);
        var em = new ExpectationMaximization(y, Ar1TestData.X0);
        var fit = em.Fit(new Ar1NoiseModel(0.5, 1.0, 1.0, 1.0), maxIterations: 30000, tolerance: 1e-9);
        Assert.True(fit.Converged);
        Assert.Equal(fit.LogLikelihood, fit.Elbo);
        var theta = fit.Parameters;
        const double h = 1e-5;
        double dPsi = (em.LogLikelihood(theta with { Psi = theta.Psi + h }) - em.LogLikelihood(theta with { Psi = theta.Psi - h })) / (2 * h);
        double dV = (em.LogLikelihood(theta with { SigmaV2 = theta.SigmaV2 + h }) - em.LogLikelihood(theta with { SigmaV2 = theta.SigmaV2 - h })) / (2 * h);
        Assert.True(Math.Abs(dPsi) < 0.05, $"d/dψ log p = {dPsi}");
        Assert.True(Math.Abs(dV) < 0.05, $"d/dσ_v² log p = {dV}");
    }
}
