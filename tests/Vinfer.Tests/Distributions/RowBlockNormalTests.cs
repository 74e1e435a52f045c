using Vinfer.Distributed;
using Vinfer.Distributions;
using Vinfer.Random;
using Vinfer.Tensors;
using static Vinfer.Tests.Distributions.DistributionChecks;

namespace Vinfer.Tests.Distributions;

/// <summary>
/// RowBlockNormal on one process: its log-density is the sum over the rows of the normal closed form (also far in the
/// tails and at tiny scales), its gradient passes a finite-difference check, and a row's draw depends on its global
/// index only (a block of rows 3…4 draws what the whole vector draws at rows 3…4).
/// </summary>
public class RowBlockNormalTests
{
    private static readonly ICommunicator One = SingleProcessCommunicator.Instance;

    [Fact]
    public void LogProbIsTheSumOverTheRowsOfTheNormalDensityIncludingTails()
    {
        double[] loc = [0.5, -3, 1e3, 0];
        double[] scale = [1, 1e-8, 50, 2];
        double[] x = [0.5, -2.9999999, -1e4, 1e6];
        double expected = 0;
        for (int i = 0; i < 4; i++)
        {
            double z = (x[i] - loc[i]) / scale[i];
            expected += -0.5 * z * z - Math.Log(scale[i]) - 0.5 * Math.Log(2 * Math.PI);
        }
        var d = new RowBlockNormal(Tensor.FromArray(loc), Tensor.FromArray(scale), RowRange.All(4), One);
        Assert.Equal([4], d.EventShape);
        Assert.Empty(d.BatchShape);
        AssertClose([expected], d.LogProb(Tensor.FromArray(x)).Span, 1e-14, "log-density");
        // two draws (a leading sample dimension): one log-density per draw
        var two = d.LogProb(Tensor.FromArray([.. x, .. loc], 2, 4)).ToArray();
        Assert.Equal(2, two.Length);
        AssertClose([expected], two.AsSpan(0, 1), 1e-14, "first draw");
        Assert.Contains("4 rows owned", Assert.Throws<ArgumentException>(() => d.LogProb(Tensor.Zeros(3))).Message);
    }

    [Fact]
    public void LogProbGradientInLocationScaleAndValue() =>
        AssertGradient(t => new RowBlockNormal(t[0], t[1], new RowRange(2, 3, 7), One).LogProb(t[2]), 1e-7,
            Uniform(1, -2, 2, 3), LogUniform(2, 0.3, 3, 3), Uniform(3, -4, 4, 2, 3));

    [Fact]
    public void NormalRangeIsASliceOfTheWholeStreamAcrossTiles()
    {
        var whole = new double[1000];
        Sample.Normal(new RandomKey(17), whole);
        foreach (var (offset, length) in new[] { (0, 5), (100, 300), (127, 2), (128, 128), (999, 1) })
        {
            var part = new double[length];
            Sample.NormalRange(new RandomKey(17), offset, part);
            Assert.Equal(whole.AsSpan(offset, length).ToArray(), part);
        }
    }

    [Fact]
    public void ARowDrawsTheSameWhicheverBlockHoldsIt()
    {
        var whole = new RowBlockNormal(Tensor.Scalar(1.0), Tensor.Scalar(2.0), RowRange.All(6), One).RSample(new RandomStream(9), 5).ToArray();
        var block = new RowBlockNormal(Tensor.Scalar(1.0), Tensor.Scalar(2.0), new RowRange(3, 2, 6), One).RSample(new RandomStream(9), 5).ToArray();
        for (int s = 0; s < 5; s++)
            for (int i = 0; i < 2; i++)
                Assert.Equal(whole[s * 6 + 3 + i], block[s * 2 + i]);
        // and the draws are N(1, 2²): the mean of 4,000 draws of 6 rows within 5 standard errors
        var many = new RowBlockNormal(Tensor.Scalar(1.0), Tensor.Scalar(2.0), RowRange.All(6), One).Sample(new RandomStream(4), 4000).ToArray();
        double mean = many.Average();
        double sd = Math.Sqrt(many.Select(v => (v - mean) * (v - mean)).Sum() / (many.Length - 1));
        Assert.InRange(mean, 1 - 5 * 2 / Math.Sqrt(many.Length), 1 + 5 * 2 / Math.Sqrt(many.Length));
        Assert.InRange(sd, 2 * (1 - 5 / Math.Sqrt(2.0 * many.Length)), 2 * (1 + 5 / Math.Sqrt(2.0 * many.Length)));
    }
}
