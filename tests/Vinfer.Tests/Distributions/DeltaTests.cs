using Vinfer.Distributions;
using Vinfer.Random;
using Vinfer.Tensors;
using static Vinfer.Tests.Distributions.DistributionChecks;

namespace Vinfer.Tests.Distributions;

/// <summary>Delta, a point mass carrying a log-density: the log-density at the value, −∞ per event elsewhere.</summary>
public class DeltaTests
{
    [Fact]
    public void LogProbIsTheLogDensityAtTheValueAndMinusInfinityElsewhere()
    {
        var value = Tensor.FromArray([1.0, 2, 3, 4, 5, 6], 2, 3);
        var d = new Delta(value, Tensor.FromArray([-0.5, 1e300]), eventDim: 1);
        Assert.Equal([2], d.BatchShape); Assert.Equal([3], d.EventShape);
        AssertClose([-0.5, 1e300], d.LogProb(value).Span, 0, "at the value itself");
        AssertClose([-0.5, 1e300], d.LogProb(Tensor.FromArray([1.0, 2, 3, 4, 5, 6], 2, 3)).Span, 0, "at an equal copy");
        var moved = d.LogProb(Tensor.FromArray([1.0, 2, 3.0000001, 4, 5, 6], 2, 3)).ToArray();
        Assert.Equal(double.NegativeInfinity, moved[0]); Assert.Equal(1e300, moved[1]);
        var batch = d.LogProb(Tensor.FromArray([1.0, 2, 3, 4, 5, 6, 0, 2, 3, 4, 5, 7], 2, 2, 3)).ToArray();
        Assert.Equal([-0.5, 1e300, double.NegativeInfinity, double.NegativeInfinity], batch);
    }

    [Fact]
    public void LogProbGradientInTheLogDensityAndValue() =>
        // At the value the log-density's gradient is 1 and the value's is 0 (moving the mass with the point changes nothing).
        AssertGradient(t => new Delta(t[0], t[1], eventDim: 1).LogProb(t[0]), 1e-9, Uniform(1, -2, 2, 3, 2), Uniform(2, -2, 2, 3));

    [Fact]
    public void DrawsAreTheValueExpanded()
    {
        var value = Tensor.FromArray([0.5, -1.5]);
        var d = new Delta(value, Tensor.Scalar(0.0), eventDim: 1);
        var x = d.RSample(new RandomStream(1), 3);
        Assert.Equal([3, 2], x.Shape.ToArray());
        Assert.Equal([0.5, -1.5, 0.5, -1.5, 0.5, -1.5], x.ToArray());
        Assert.Equal([0.0, 0.0], d.Variance.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => new Delta(value, Tensor.Scalar(0.0), eventDim: 2));
        Assert.Contains("do not broadcast", Assert.Throws<ArgumentException>(() => new Delta(Tensor.Zeros(2, 3), Tensor.Zeros(3), eventDim: 1)).Message);
    }
}
