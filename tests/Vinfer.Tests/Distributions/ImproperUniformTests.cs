using Vinfer.Autodiff;
using Vinfer.Distributions;
using Vinfer.Random;
using Vinfer.Tensors;
using static Vinfer.Tests.Distributions.DistributionChecks;

namespace Vinfer.Tests.Distributions;

/// <summary>
/// ImproperUniform: log-density exactly 0 with the batch shape, and draws that follow Stan's initialization
/// (uniform on (−2, 2) in the unconstrained coordinates, mapped onto the support).
/// </summary>
public class ImproperUniformTests
{
    [Fact]
    public void LogProbIsZeroWithTheBatchShape()
    {
        var scalar = new ImproperUniform(Constraints.Positive, [3], []);
        var lp = scalar.LogProb(LogUniform(1, 1e-8, 1e8, 5, 3));
        Assert.Equal([5, 3], lp.Shape.ToArray());
        Assert.All(lp.ToArray(), v => Assert.Equal(0.0, v));
        var simplex = new ImproperUniform(Constraints.Simplex, [2], [4]);
        var lps = simplex.LogProb(Tensor.Full(0.25, 6, 2, 4));
        Assert.Equal([6, 2], lps.Shape.ToArray());
        Assert.All(lps.ToArray(), v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void LogProbHasNoGradientContribution()
    {
        // A flat density adds nothing to the gradient: the gradient of LogProb(x) + ½|x|² is exactly x.
        var d = new ImproperUniform(Constraints.Real, [], [3]);
        AssertGradient(t => d.LogProb(t[0]) + 0.5 * (t[0] * t[0]).Sum(-1), 1e-8, Uniform(2, -3, 3, 4, 3));
        var x = Tensor.Parameter(Uniform(3, -3, 3, 3).Span, [3]);
        (d.LogProb(x) + 0.5 * (x * x).Sum()).Backward();
        AssertClose(x.ToArray(), x.Grad!.Span, 1e-15, "∇(LogProb + ½|x|²)");
    }

    [Fact]
    public void DrawsAreUniformOnMinusTwoTwoInUnconstrainedSpace()
    {
        var real = new ImproperUniform(Constraints.Real, [], []).Sample(new RandomStream(4), Draws).ToArray();
        AssertKolmogorovSmirnov(real, v => Math.Clamp((v + 2) / 4, 0, 1), "ImproperUniform(real)");
        var positive = new ImproperUniform(Constraints.Positive, [], []).Sample(new RandomStream(5), Draws).ToArray();
        AssertKolmogorovSmirnov(positive.Select(v => Math.Log(v)).ToArray(), v => Math.Clamp((v + 2) / 4, 0, 1), "log ImproperUniform(positive)");
        var interval = new ImproperUniform(Constraints.Interval(-1, 3), [], []).Sample(new RandomStream(6), Draws).ToArray();
        AssertKolmogorovSmirnov(interval.Select(y => Math.Log((y + 1) / (3 - y))).ToArray(), v => Math.Clamp((v + 2) / 4, 0, 1), "logit ImproperUniform(interval)");
    }

    [Fact]
    public void DrawsHaveTheExtendedShapeAndLieInStructuredSupports()
    {
        var simplex = new ImproperUniform(Constraints.Simplex, [2], [4]);
        var y = simplex.Sample(new RandomStream(7), 5);
        Assert.Equal([5, 2, 4], y.Shape.ToArray());
        Assert.All(Constraints.Simplex.Check(y).ToArray(), v => Assert.Equal(1.0, v));
        var chol = new ImproperUniform(Constraints.CorrCholesky, [], [3, 3]).Sample(new RandomStream(8), 4);
        Assert.Equal([4, 3, 3], chol.Shape.ToArray());
        Assert.All(Constraints.CorrCholesky.Check(chol).ToArray(), v => Assert.Equal(1.0, v));
        var expanded = new ImproperUniform(Constraints.Positive, [3], []).Expand(2, 3);
        Assert.Equal([2, 3], expanded.BatchShape);
        Assert.IsType<ImproperUniform>(expanded);
        Assert.Equal([6, 2, 3], expanded.Sample(new RandomStream(9), 6).Shape.ToArray());
    }

    [Fact]
    public void DiscreteSupportIsRejectedByName()
    {
        var e = Assert.Throws<ArgumentException>(() => new ImproperUniform(Constraints.NonNegativeInteger, [], []));
        Assert.Contains(Constraints.NonNegativeInteger.Name, e.Message);
        Assert.Equal("support", e.ParamName);
        Assert.Throws<ArgumentNullException>(() => new ImproperUniform(null!, [], []));
    }
}
