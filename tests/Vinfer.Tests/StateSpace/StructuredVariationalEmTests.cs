using Vinfer.StateSpace;

namespace Vinfer.Tests.StateSpace;

public class StructuredVariationalEmTests
{
    [Fact]
    public void StructuredVemCoincidesWithEmAndTheGapCloses()
    {
        double[] y = Ar1TestData.Series(500, seed: 12);
        var em = new ExpectationMaximization(y, Ar1TestData.X0);
        var structured = new StructuredVariationalEm(y, Ar1TestData.X0);
        var random = new System.Random(3);
        for (int start = 0; start < 3; start++)
        {
            var a = Ar1TestData.RandomStart(random);
            var b = a;
            for (int k = 0; k < 40; k++)
            {
                a = em.Step(a, out double logLikelihood);
                b = structured.Step(b, out double elbo);
                Assert.Equal(logLikelihood, elbo, 1e-8 * Math.Abs(logLikelihood)); // gap ≈ 0 at every iterate
                Assert.Equal(a.Psi, b.Psi, 1e-9);
                Assert.Equal(a.Zeta, b.Zeta, 1e-9);
                Assert.Equal(a.SigmaH2, b.SigmaH2, 1e-9 * a.SigmaH2);
                Assert.Equal(a.SigmaV2, b.SigmaV2, 1e-9 * a.SigmaV2);
            }
            double gap = structured.LogLikelihood(b) - structured.OptimalElbo(b);
            Assert.True(Math.Abs(gap) < 1e-8 * Math.Abs(structured.LogLikelihood(b)), $"gap {gap}");
        }
    }

    [Fact]
    public void ChainElboIsBelowTheLogLikelihoodForOtherChains()
    {
        double[] y = Ar1TestData.Series(20, seed: 1);
        var theta = new Ar1NoiseModel(0.7, 1.1, 1.5, 0.8);
        var structured = new StructuredVariationalEm(y, Ar1TestData.X0);
        double optimal = structured.OptimalElbo(theta);
        double[] mu = structured.Means.ToArray(), v = structured.Variances.ToArray(), c = structured.LagOneCovariances.ToArray();
        for (int t = 1; t <= 20; t++) { mu[t] += 0.05; v[t] *= 1.1; c[t] *= 0.9; }
        double perturbed = StructuredVariationalEm.ChainElbo(y, theta, mu, v, c);
        Assert.True(perturbed < optimal);
        Assert.Equal(structured.LogLikelihood(theta), optimal, 1e-9);
    }
}
