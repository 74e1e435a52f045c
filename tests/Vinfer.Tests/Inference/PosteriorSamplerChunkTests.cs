using Vinfer.Guides;
using Vinfer.Inference;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Tests.Inference;

/// <summary>How many draws the PSIS top-up takes per vectorized pass (<see cref="PosteriorSampler.ChunkFor"/>).</summary>
public sealed class PosteriorSamplerChunkTests
{
    private static Action Regression(int observations) => () =>
    {
        var b = Sample("b", new Vinfer.Distributions.Normal(0.0, 1.0));
        using (Plate("N", observations)) Sample("y", new Vinfer.Distributions.Normal(b, Tensor.Scalar(1.0)), Tensor.Zeros(observations));
    };

    [Theory]
    // 1 latent + n observed values a draw: 64,000 / (n + 1) draws, between 64 and 1,024
    [InlineData(20, 1024)]
    [InlineData(499, 128)]
    [InlineData(999, 64)]
    [InlineData(10_000, 64)]
    public void APassHoldsAboutAsManyValuesAsTheBudget(int observations, int expected)
    {
        Assert.Equal(expected, PosteriorSampler.ChunkFor(ModelPrototype.Capture(Regression(observations))));
    }

    [Fact]
    public void AModelWithAFactorKeepsTheSmallestPasses()
    {
        // the factor's value is one number a draw, but it may sum over any amount of data (the GLM regressions')
        void Model()
        {
            var b = Sample("b", new Vinfer.Distributions.Normal(0.0, 1.0));
            Factor("likelihood", -0.5 * b * b);
        }
        Assert.Equal(PosteriorSampler.ChunkSize, PosteriorSampler.ChunkFor(ModelPrototype.Capture(Model)));
    }

    [Fact]
    public void EightSchoolsTakesItsDrawsInThousandDrawPasses()
    {
        // 26 values a draw (mu, tau, theta_trans[8], theta[8], y[8]): 64-draw passes were nearly all per-op overhead
        var model = new Vinfer.Models.EightSchools().Bind(Vinfer.Models.EightSchools.ClassicData);
        Assert.Equal(PosteriorSampler.MaximumChunkSize, PosteriorSampler.ChunkFor(ModelPrototype.Capture(model)));
    }
}
