using Vinfer.Distributions;
using Vinfer.Random;
using Vinfer.Tensors;
using static Vinfer.Tests.Distributions.DistributionChecks;

namespace Vinfer.Tests.Distributions;

/// <summary>NonReparameterized: the inner distribution's density and draws, without a reparameterized sampler.</summary>
public class NonReparameterizedTests
{
    [Fact]
    public void LogProbIsTheInnerLogProb()
    {
        var loc = Tensor.FromArray([0.5, -3.0, 40.0]);
        var scale = Tensor.FromArray([1e-3, 2.0, 7.5]);
        var x = Tensor.FromArray([0.5004, 1.0, -20.0]);
        var wrapped = new NonReparameterized(new Normal(loc, scale));
        var expected = new double[3];
        for (int i = 0; i < 3; i++) expected[i] = MathNet.Numerics.Distributions.Normal.PDFLn(loc[i], scale[i], x[i]);
        AssertClose(expected, wrapped.LogProb(x).Span, 1e-12, "Normal inside NonReparameterized");
        Assert.False(wrapped.HasRSample);
        var draws = wrapped.Sample(new RandomStream(3), 2);
        Assert.Equal(new Normal(loc, scale).Sample(new RandomStream(3), 2).ToArray(), draws.ToArray());
    }

    [Fact]
    public void LogProbGradientIsTheInnerGradient() =>
        AssertGradient(t => new NonReparameterized(new Normal(t[0], t[1].Exp())).LogProb(t[2]), 1e-7,
            Uniform(1, -2, 2, 3), Uniform(2, -1, 1, 3), Uniform(3, -2, 2, 3));
}
