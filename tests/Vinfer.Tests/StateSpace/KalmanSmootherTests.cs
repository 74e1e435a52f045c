using Vinfer.StateSpace;

namespace Vinfer.Tests.StateSpace;

public class KalmanSmootherTests
{
    private static LinearGaussianStateSpaceModel TwoByThreeModel() => new(
        stateDimension: 2, observationDimension: 3,
        transition: [0.9, 0.2, -0.3, 0.7],
        transitionCovariance: [0.5, 0.1, 0.1, 0.3],
        observation: [1.0, 0.5, -0.2, 1.1, 0.3, 0.0],
        observationCovariance: [0.4, 0.05, 0.0, 0.05, 0.6, 0.1, 0.0, 0.1, 0.8],
        initialMean: [0.5, -1.0],
        initialCovariance: [1.2, 0.3, 0.3, 0.9]);

    private static double[] RandomObservations(int count, int seed)
    {
        var random = new System.Random(seed);
        var y = new double[count];
        for (int i = 0; i < y.Length; i++) y[i] = 2.0 * random.NextDouble() - 1.0 + (i % 3);
        return y;
    }

    [Fact]
    public void MultivariateSmootherMatchesDenseGaussianConditioning()
    {
        var model = TwoByThreeModel();
        double[] y = RandomObservations(7 * 3, seed: 11);
        var smoothed = new RtsSmoother(model).Smooth(y);
        var dense = new DenseGaussianPosterior(model, y);

        Assert.Equal(dense.LogLikelihood, smoothed.LogLikelihood, 1e-10);
        for (int t = 0; t <= 7; t++)
            for (int i = 0; i < 2; i++)
            {
                Assert.Equal(dense.Mean(t, i), smoothed.Mean(t)[i], 1e-10);
                for (int j = 0; j < 2; j++)
                {
                    Assert.Equal(dense.Cov(t, i, t, j), smoothed.Covariance(t)[i * 2 + j], 1e-10);
                    if (t > 0)
                        Assert.Equal(dense.Cov(t, i, t - 1, j), smoothed.LagOneCovariance(t)[i * 2 + j], 1e-10);
                }
            }
    }

    [Fact]
    public void FilteredMomentsMatchDenseConditioningOnThePast()
    {
        // The filtered moments at t are the smoothed moments of the series truncated at t.
        var model = TwoByThreeModel();
        double[] y = RandomObservations(5 * 3, seed: 5);
        var filtered = new KalmanFilter(model).Filter(y);
        for (int t = 1; t <= 5; t++)
        {
            var dense = new DenseGaussianPosterior(model, y[..(t * 3)]);
            for (int i = 0; i < 2; i++)
            {
                Assert.Equal(dense.Mean(t, i), filtered.FilteredMeans[t * 2 + i], 1e-10);
                for (int j = 0; j < 2; j++)
                    Assert.Equal(dense.Cov(t, i, t, j), filtered.FilteredCovariances[t * 4 + i * 2 + j], 1e-10);
            }
        }
    }

    [Fact]
    public void ScalarKernelsMatchDenseConditioningAndTheMultivariateCode()
    {
        var theta = new Ar1NoiseModel(0.88, 1.23, 1.34, 0.95);
        const double x0 = 1.2;
        var x = new double[9];
        var y = new double[9];
        theta.Simulate(x0, new System.Random(3), x, y);
        var model = theta.ToStateSpaceModel(x0);
        var dense = new DenseGaussianPosterior(model, y);

        var means = new double[10];
        var variances = new double[10];
        var lagOne = new double[10];
        double logLikelihood = ScalarKalmanSmoother.Smooth(y, theta, x0, means, variances, lagOne);
        Assert.Equal(dense.LogLikelihood, logLikelihood, 1e-10);
        Assert.Equal(dense.LogLikelihood, ScalarKalmanSmoother.LogLikelihood(y, theta, x0), 1e-10);
        var general = new RtsSmoother(model).Smooth(y);
        for (int t = 0; t <= 9; t++)
        {
            Assert.Equal(dense.Mean(t, 0), means[t], 1e-10);
            Assert.Equal(dense.Cov(t, 0, t, 0), variances[t], 1e-10);
            Assert.Equal(general.Means[t], means[t], 1e-12);
            Assert.Equal(general.Covariances[t], variances[t], 1e-12);
            if (t > 0) Assert.Equal(dense.Cov(t, 0, t - 1, 0), lagOne[t], 1e-10);
        }
    }

    [Fact]
    public void LogLikelihoodIsAccurateOverLongSeriesWithLargeAndSmallVariances()
    {
        // The renormalized product of innovation variances must equal the direct sum of logs.
        var theta = new Ar1NoiseModel(0.5, 3.0, 5e6, 2e-7);
        var x = new double[1003];
        var y = new double[1003];
        theta.Simulate(0.0, new System.Random(1), x, y);
        double direct = 0.0, m = 0.0, p = 0.0;
        for (int t = 0; t < y.Length; t++)
        {
            double pm = theta.Psi * m, pv = theta.Psi * theta.Psi * p + theta.SigmaH2;
            double s = theta.Zeta * theta.Zeta * pv + theta.SigmaV2, e = y[t] - theta.Zeta * pm;
            direct += -0.5 * (Math.Log(2 * Math.PI * s) + e * e / s);
            m = pm + pv * theta.Zeta / s * e;
            p = pv * theta.SigmaV2 / s;
        }
        Assert.Equal(direct, ScalarKalmanSmoother.LogLikelihood(y, theta, 0.0), 1e-9 * Math.Abs(direct));
    }

    [Fact]
    public void SufficientStatisticsMatchTheFullSmootherOutput()
    {
        var theta = new Ar1NoiseModel(-0.6, 0.8, 0.7, 1.9);
        var x = new double[50];
        var y = new double[50];
        theta.Simulate(-0.4, new System.Random(9), x, y);
        var means = new double[51];
        var variances = new double[51];
        var lagOne = new double[51];
        ScalarKalmanSmoother.Smooth(y, theta, -0.4, means, variances, lagOne);
        ScalarKalmanSmoother.SmoothStatistics(y, theta, -0.4, new double[50], new double[50], out var s);
        double sumYX = 0, sumXX = 0, sumPrev = 0, sumLag = 0;
        for (int t = 1; t <= 50; t++)
        {
            sumYX += y[t - 1] * means[t];
            sumXX += means[t] * means[t] + variances[t];
            sumPrev += means[t - 1] * means[t - 1] + variances[t - 1];
            sumLag += means[t] * means[t - 1] + lagOne[t];
        }
        Assert.Equal(sumYX, s.SumYX, 1e-10);
        Assert.Equal(sumXX, s.SumXX, 1e-10);
        Assert.Equal(sumPrev, s.SumXXPrev, 1e-10);
        Assert.Equal(sumLag, s.SumXXLag, 1e-10);
    }

    [Fact]
    public void RejectsNonFiniteObservations()
    {
        var filter = new KalmanFilter(TwoByThreeModel());
        var ex = Assert.Throws<ArgumentException>(() => filter.Filter([1.0, 2.0, double.NaN]));
        Assert.Contains("t = 1", ex.Message);
    }
}
