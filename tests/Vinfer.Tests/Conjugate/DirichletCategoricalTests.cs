using Vinfer.Conjugate;
using Vinfer.Random;

namespace Vinfer.Tests.Conjugate;

/// <summary>The Dirichlet–categorical factor: expectations against Monte Carlo, the exponential-family KL against the registry's.</summary>
public class DirichletCategoricalTests
{
    [Fact]
    public void ExpectedLogProbabilitiesMatchMonteCarlo()
    {
        var q = new DirichletCategorical([0.7, 2.5, 4.0, 1.2]);
        var expected = new double[4];
        q.ExpectedLogProbabilities(expected);
        const int draws = 40_000;
        var sum = new double[4]; var sumSquares = new double[4];
        var draw = new double[4];
        var stream = new RandomStream(11);
        for (int s = 0; s < draws; s++)
        {
            Sample.Dirichlet(stream.NextKey(), q.Concentration, draw);
            for (int k = 0; k < 4; k++) { double l = Math.Log(draw[k]); sum[k] += l; sumSquares[k] += l * l; }
        }
        for (int k = 0; k < 4; k++)
        {
            double mean = sum[k] / draws, se = Math.Sqrt((sumSquares[k] / draws - mean * mean) / draws);
            Assert.True(Math.Abs(mean - expected[k]) < 5 * se, $"k={k}: MC {mean} ± {se}, closed form {expected[k]}");
        }
    }

    [Fact]
    public void ExponentialFamilyKullbackLeiblerEqualsRegistry()
    {
        var q = new DirichletCategorical([0.7, 2.5, 4.0, 1.2]);
        var p = DirichletCategorical.Symmetric(4, 0.5);
        Assert.Equal(q.KullbackLeiblerTo(p), ExponentialFamily.KullbackLeibler(q, p), 10);
        Assert.Equal(q.Entropy(), ExponentialFamily.Entropy(q), 10);
    }

    [Fact]
    public void RowExpectationsEqualOneRowAtATime()
    {
        double[] matrix = [0.3, 1.5, 2.0, 7.0, 0.1, 12.0, 3.3, 4.4, 5.5];
        var rows = new double[9];
        DirichletCategorical.ExpectedLogProbabilitiesByRow(matrix, 3, rows);
        var one = new double[3];
        for (int r = 0; r < 3; r++)
        {
            DirichletCategorical.ExpectedLogProbabilities(matrix.AsSpan(r * 3, 3), one);
            for (int k = 0; k < 3; k++) Assert.Equal(one[k], rows[r * 3 + k], 12);
        }
    }

    [Fact]
    public void PosteriorAddsCounts()
    {
        var post = DirichletCategorical.Symmetric(3, 0.5).Posterior([2, 0, 5]);
        Assert.Equal([2.5, 0.5, 5.5], post.Concentration.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => new DirichletCategorical([1.0, -1.0]));
    }
}
