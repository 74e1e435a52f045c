using MathNet.Numerics.LinearAlgebra;
using Vinfer.StateSpace;

namespace Vinfer.Tests.StateSpace;

/// <summary>
/// Long series drive the scalar kernels into their division-free steady-state path (the variance/pivot recursion
/// repeats bit for bit); the results must still match the general multivariate code and a dense solve.
/// </summary>
public class SteadyStatePathTests
{
    [Theory]
    [InlineData(0.88, 1.23, 1.34, 0.95)]
    [InlineData(-0.5, 0.3, 0.2, 4.0)]
    [InlineData(1.05, 2.0, 0.5, 0.1)]
    public void ScalarSmootherMatchesTheGeneralSmootherOnLongSeries(double psi, double zeta, double sh, double sv)
    {
        var theta = new Ar1NoiseModel(psi, zeta, sh, sv);
        double[] y = Ar1TestData.Series(600, seed: 31);
        var general = new RtsSmoother(theta.ToStateSpaceModel(0.7)).Smooth(y);
        var means = new double[601];
        var variances = new double[601];
        var lagOne = new double[601];
        double logLikelihood = ScalarKalmanSmoother.Smooth(y, theta, 0.7, means, variances, lagOne);
        Assert.Equal(general.LogLikelihood, logLikelihood, 1e-9 * Math.Abs(logLikelihood));
        Assert.Equal(general.LogLikelihood, ScalarKalmanSmoother.LogLikelihood(y, theta, 0.7), 1e-9 * Math.Abs(logLikelihood));
        for (int t = 0; t <= 600; t++)
        {
            Assert.Equal(general.Means[t], means[t], 1e-9 * (1 + Math.Abs(means[t])));
            Assert.Equal(general.Covariances[t], variances[t], 1e-12);
            Assert.Equal(general.LagOneCovariances[t], lagOne[t], 1e-12);
        }
        ScalarKalmanSmoother.SmoothStatistics(y, theta, 0.7, new double[600], new double[600], out var s);
        double sumLag = 0;
        for (int t = 1; t <= 600; t++) sumLag += means[t] * means[t - 1] + lagOne[t];
        Assert.Equal(sumLag, s.SumXXLag, 1e-9 * Math.Abs(sumLag));
    }

    [Fact]
    public void ThomasSolveMatchesADenseSolveOnALongSeries()
    {
        double[] y = Ar1TestData.Series(300, seed: 4);
        var theta = new Ar1NoiseModel(0.8, 1.1, 0.9, 1.4);
        var vem = new MeanFieldVariationalEm(y, Ar1TestData.X0);
        vem.UpdateVariational(theta, out _);
        double a = -theta.Psi / theta.SigmaH2, b = theta.Zeta * theta.Zeta / theta.SigmaV2 + (1 + theta.Psi * theta.Psi) / theta.SigmaH2;
        var lambda = Matrix<double>.Build.Dense(300, 300);
        var h = Vector<double>.Build.Dense(300, t => theta.Zeta / theta.SigmaV2 * y[t]);
        h[0] -= a * Ar1TestData.X0;
        for (int t = 0; t < 300; t++)
        {
            lambda[t, t] = t < 299 ? b : theta.Zeta * theta.Zeta / theta.SigmaV2 + 1 / theta.SigmaH2;
            if (t > 0) { lambda[t, t - 1] = a; lambda[t - 1, t] = a; }
        }
        var expected = lambda.Cholesky().Solve(h);
        for (int t = 0; t < 300; t++)
            Assert.Equal(expected[t], vem.Means[t], 1e-10 * (1 + Math.Abs(expected[t])));
    }
}
