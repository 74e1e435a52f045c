using Vinfer.Random;

namespace Vinfer.Tests.Random;

/// <summary>Element i of every fill depends only on the key and i: not on the thread count nor on the length.</summary>
public class DeterminismTests
{
    // Above the parallel threshold for every sampler, and not a multiple of the chunk or tile sizes.
    private const int Large = 200_003;

    public static TheoryData<string> Samplers => new()
    {
        "uniform", "uniform-interval", "normal", "normal-affine", "exponential", "gumbel", "gamma-small", "gamma",
        "gamma-log", "beta", "poisson-small", "poisson-large", "dirichlet", "categorical",
    };

    private static double[] Draw(string sampler, RandomKey key, int n)
    {
        var output = new double[n];
        switch (sampler)
        {
            case "uniform": Sample.Uniform(key, output); break;
            case "uniform-interval": Sample.Uniform(key, -3, 7, output); break;
            case "normal": Sample.Normal(key, output); break;
            case "normal-affine":
                double[] mean = Enumerable.Range(0, n).Select(i => i * 0.001).ToArray();
                double[] std = Enumerable.Range(0, n).Select(i => 1.0 + i % 3).ToArray();
                Sample.Normal(key, mean, std, output);
                break;
            case "exponential": Sample.Exponential(key, 2.5, output); break;
            case "gumbel": Sample.Gumbel(key, output); break;
            case "gamma-small": Sample.Gamma(key, 0.3, output); break;
            case "gamma": Sample.Gamma(key, 4.5, 2, output); break;
            case "gamma-log": Sample.GammaLog(key, 1e-3, output); break;
            case "beta": Sample.Beta(key, 0.5, 3, output); break;
            case "poisson-small": Sample.Poisson(key, 3, output); break;
            case "poisson-large": Sample.Poisson(key, 250, output); break;
            case "dirichlet":
                output = new double[n / 3 * 3];
                Sample.Dirichlet(key, [0.5, 1, 2], output);
                break;
            case "categorical":
                var draws = new int[n];
                Sample.Categorical(key, [0.1, 0.2, 0.3, 0.4], draws);
                output = draws.Select(d => (double)d).ToArray();
                break;
            default: throw new ArgumentException(sampler);
        }
        return output;
    }

    [Theory]
    [MemberData(nameof(Samplers))]
    public void ThreadCountDoesNotChangeTheDraws(string sampler)
    {
        var key = new RandomKey(99);
        double[] serial, parallel, wide;
        using (ParallelFill.LimitThreads(1)) serial = Draw(sampler, key, Large);
        using (ParallelFill.LimitThreads(2)) parallel = Draw(sampler, key, Large);
        using (ParallelFill.LimitThreads(7)) wide = Draw(sampler, key, Large);
        Assert.Equal(serial, parallel);
        Assert.Equal(serial, wide);
        Assert.Equal(serial, Draw(sampler, key, Large)); // default thread count
        Assert.NotEqual(serial, Draw(sampler, new RandomKey(100), Large));
    }

    [Theory]
    [MemberData(nameof(Samplers))]
    public void ElementDependsOnlyOnItsIndex(string sampler)
    {
        var key = new RandomKey(5);
        double[] whole = Draw(sampler, key, 3001);
        foreach (int length in new[] { 1, 2, 3, 127, 128, 129, 1000 })
        {
            double[] prefix = Draw(sampler, key, length);
            Assert.Equal(whole.AsSpan(0, prefix.Length).ToArray(), prefix);
        }
    }

    [Fact]
    public void GammaLogIsTheLogOfGamma()
    {
        var key = new RandomKey(11);
        foreach (double shape in new[] { 0.05, 0.7, 1, 6.5 })
        {
            var draws = new double[5000];
            var logs = new double[5000];
            Sample.Gamma(key, shape, 3, draws);
            Sample.GammaLog(key, shape, 3, logs);
            for (int i = 0; i < draws.Length; i++)
                Assert.True(Math.Abs(Math.Log(draws[i]) - logs[i]) < 1e-12 * Math.Max(1, Math.Abs(logs[i])),
                    $"shape {shape}, element {i}: log {Math.Log(draws[i])} vs {logs[i]}");
        }
    }

    [Fact]
    public void PerElementParametersMatchScalarOverloads()
    {
        var key = new RandomKey(3);
        const int n = 1000;
        double[] Fill(Action<double[]> action) { var x = new double[n]; action(x); return x; }
        double[] Same(double value) => Enumerable.Repeat(value, n).ToArray();
        Assert.Equal(Fill(x => Sample.Normal(key, 2, 3, x)), Fill(x => Sample.Normal(key, Same(2), Same(3), x)));
        Assert.Equal(Fill(x => Sample.Uniform(key, -1, 4, x)), Fill(x => Sample.Uniform(key, Same(-1), Same(4), x)));
        Assert.Equal(Fill(x => Sample.Exponential(key, 0.7, x)), Fill(x => Sample.Exponential(key, Same(0.7), x)));
        Assert.Equal(Fill(x => Sample.Gumbel(key, 1, 2, x)), Fill(x => Sample.Gumbel(key, Same(1), Same(2), x)));
        Assert.Equal(Fill(x => Sample.Gamma(key, 0.4, 2, x)), Fill(x => Sample.Gamma(key, Same(0.4), Same(2), x)));
        Assert.Equal(Fill(x => Sample.Gamma(key, 0.4, x)), Fill(x => Sample.Gamma(key, Same(0.4), x)));
        Assert.Equal(Fill(x => Sample.GammaLog(key, 0.4, 2, x)), Fill(x => Sample.GammaLog(key, Same(0.4), Same(2), x)));
        Assert.Equal(Fill(x => Sample.Beta(key, 0.4, 2, x)), Fill(x => Sample.Beta(key, Same(0.4), Same(2), x)));
        Assert.Equal(Fill(x => Sample.Poisson(key, 12, x)), Fill(x => Sample.Poisson(key, Same(12), x)));
        double[] alpha = [0.3, 1, 4, 0.3, 1, 4];
        var shared = new double[6];
        var perRow = new double[6];
        Sample.Dirichlet(key, alpha.AsSpan(0, 3), shared);
        Sample.Dirichlet(key, alpha, 3, perRow);
        Assert.Equal(shared, perRow);
    }

    [Fact]
    public void PerElementParametersAreUsedPerElement()
    {
        var key = new RandomKey(8);
        const int n = 100_000;
        double[] mean = Enumerable.Range(0, n).Select(i => i % 2 == 0 ? -5.0 : 5.0).ToArray();
        double[] std = Enumerable.Range(0, n).Select(i => i % 2 == 0 ? 1.0 : 2.0).ToArray();
        var x = new double[n];
        Sample.Normal(key, mean, std, x);
        double[] even = x.Where((_, i) => i % 2 == 0).ToArray();
        double[] odd = x.Where((_, i) => i % 2 == 1).ToArray();
        SampleStatistics.AssertMoments(even, -5, 1, "normal even elements");
        SampleStatistics.AssertMoments(odd, 5, 4, "normal odd elements");
        double[] shape = Enumerable.Range(0, n).Select(i => i % 2 == 0 ? 0.5 : 20.0).ToArray();
        Sample.Gamma(key, shape, x);
        SampleStatistics.AssertMoments(x.Where((_, i) => i % 2 == 0).ToArray(), 0.5, 0.5, "gamma even elements");
        SampleStatistics.AssertMoments(x.Where((_, i) => i % 2 == 1).ToArray(), 20, 20, "gamma odd elements");
    }
}
