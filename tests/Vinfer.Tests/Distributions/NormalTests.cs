using Vinfer.Distributions;
using Vinfer.Random;
using Vinfer.Tensors;
using MN = MathNet.Numerics.Distributions;
using static Vinfer.Tests.Distributions.DistributionChecks;

namespace Vinfer.Tests.Distributions;

public class NormalTests
{
    [Fact]
    public void LogProbMatchesMathNetIncludingTails()
    {
        var loc = Uniform(1, -5, 5, 200);
        var scale = LogUniform(2, 1e-3, 1e3, 200);
        var x = Uniform(3, -1e3, 1e3, 200);
        var lp = new Normal(loc, scale).LogProb(x);
        var expected = new double[200];
        for (int i = 0; i < 200; i++) expected[i] = MN.Normal.PDFLn(loc.Span[i], scale.Span[i], x.Span[i]);
        AssertClose(expected, lp.Span, 1e-13, "Normal.LogProb");
    }

    [Fact]
    public void LogProbBroadcastsValueOverBatch()
    {
        var d = new Normal(Tensor.FromArray([0.0, 1.0, 2.0]), Tensor.FromArray([1.0, 2.0, 3.0]));
        var lp = d.LogProb(Tensor.FromArray([0.5, 1.5, -1, 2, 3, 4], 2, 3));
        Assert.Equal([2, 3], lp.Shape.ToArray());
        Assert.Equal(MN.Normal.PDFLn(2, 3, 4), lp[1, 2], 12);
    }

    [Fact]
    public void LogProbGradientInParametersAndValue()
    {
        AssertGradient(t => new Normal(t[0], t[1]).LogProb(t[2]), 1e-6,
            Uniform(4, -1, 1, 3, 1), LogUniform(5, 0.3, 3, 4), Uniform(6, -3, 3, 3, 4));
    }

    [Fact]
    public void GradientsAccumulateAcrossBackwardPassesOnLargeInputs()
    {
        // Large enough for the parallel path; the second pass adds into the existing gradient.
        var loc = Tensor.Parameter(Uniform(12, -1, 1, 70000).Span);
        var scale = Tensor.Parameter(LogUniform(13, 0.5, 2, 70000).Span);
        var x = Uniform(14, -3, 3, 70000);
        new Normal(loc, scale).LogProb(x).Sum().Backward();
        var first = scale.Grad!.ToArray();
        new Normal(loc, scale).LogProb(x).Sum().Backward();
        for (int i = 0; i < first.Length; i += 997)
        {
            double z = (x.Span[i] - loc.Span[i]) / scale.Span[i];
            Assert.Equal((z * z - 1) / scale.Span[i], first[i], 12);
            Assert.Equal(2 * first[i], scale.Grad!.Span[i], 12);
        }
    }

    [Fact]
    public void SamplesPassKolmogorovSmirnovAndMoments()
    {
        var x = Draw(new Normal(1.5, 0.7), 11);
        AssertKolmogorovSmirnov(x, v => MN.Normal.CDF(1.5, 0.7, v), "Normal(1.5, 0.7)");
        AssertMoments(x, 1.5, 0.49, "Normal(1.5, 0.7)");
    }

    [Fact]
    public void RSampleGradientWithCommonRandomNumbers() =>
        AssertGradient(t => new Normal(t[0], t[1]).RSample(new RandomStream(7), 5), 1e-7,
            Uniform(8, -1, 1, 3), LogUniform(9, 0.3, 3, 3));

    [Fact]
    public void ShapesMeanVarianceEntropy()
    {
        var d = new Normal(Tensor.Zeros(2, 1), Tensor.Full(2.0, 3));
        Assert.Equal([2, 3], d.BatchShape);
        Assert.Equal([4, 2, 3], d.Sample(new RandomStream(1), 4).Shape.ToArray());
        Assert.Equal(4.0, d.Variance[1, 2]);
        Assert.Equal(0.5 * Math.Log(2 * Math.PI * Math.E * 4), d.Entropy()[0, 0], 13);
        Assert.Equal([5, 2, 3], d.Expand(5, 2, 3).Sample(new RandomStream(1)).Shape.ToArray());
    }

    [Fact]
    public void BadParametersNameDistributionParameterAndValue()
    {
        var e = Assert.Throws<ArgumentException>(() => new Normal(Tensor.Zeros(3), Tensor.FromArray([1.0, -2.0, 1.0])));
        Assert.Contains("Normal", e.Message); Assert.Contains("'scale'", e.Message); Assert.Contains("-2", e.Message);
        e = Assert.Throws<Vinfer.Distributions.NonFiniteParameterException>(() => new Normal(Tensor.FromArray([double.NaN]), Tensor.Ones(1))); // NaN: non-finite, an ArgumentException subclass
        Assert.Contains("'loc'", e.Message); Assert.Contains("NaN", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Normal(Tensor.Zeros(3), Tensor.Ones(4)));
        Assert.Contains("'loc'", e.Message); Assert.Contains("'scale'", e.Message);
        _ = new Normal(Tensor.Zeros(1), Tensor.FromArray([-1.0]), validateArgs: false); // switched off: no throw
    }

    [Fact]
    public void GlobalValidationSwitch()
    {
        // Run under a lock-free local check: the instance override wins over the global default.
        Assert.Throws<ArgumentException>(() => new Normal(0, -1, validateArgs: true));
        Assert.False(new Normal(0, -1, validateArgs: false).Validates);
    }
}
