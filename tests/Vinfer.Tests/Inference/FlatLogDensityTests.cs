using Vinfer.Distributions;
using Vinfer.Inference;
using Vinfer.Models;
using Vinfer.Optim;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Tests.Inference;

/// <summary>
/// The vectorized log density (<see cref="FlatLogDensity.Values"/>) against the one-point one, and Pathfinder's ELBO
/// draws scored through it: one model pass per iterate instead of one per draw.
/// </summary>
public class FlatLogDensityTests
{
    [Theory]
    [InlineData("eight_schools")]
    [InlineData("eight_schools_centered")]
    public void ManyPointsAtOnceEqualEachPointAlone(string name)
    {
        // plates, positive (log-transformed) sites and a constrained scale: points spread wide, up to |u| = 6
        var m = ModelRegistry.Library.Get(name);
        var density = new FlatLogDensity(m.Bind(m.BundledData!));
        int d = density.Dimension, k = 7;
        var rng = new System.Random(2);
        var points = Enumerable.Range(0, k * d).Select(_ => 12 * (rng.NextDouble() - 0.5)).ToArray();
        var values = new double[k];
        density.Values(points, values);
        for (int i = 0; i < k; i++)
        {
            double alone = density.Value(points.AsSpan(i * d, d));
            Assert.True(double.IsFinite(alone));
            Assert.Equal(alone, values[i], 1e-12 * Math.Abs(alone));
        }
        Assert.Equal(2 * k, density.ValueEvaluations);
    }

    [Fact]
    public void APointOutsideTheDomainGetsMinusInfinityAloneAndTheOthersKeepTheirValues()
    {
        // exp(800) overflows: the model's Normal rejects an infinite scale, which fails the batched pass; each point is
        // then scored alone, the bad one at −∞
        static void Model()
        {
            var s = Sample("s", new LogNormal(0.0, 1.0));
            Sample("y", new Normal(Vinfer.Tensors.Tensor.Scalar(0.0), s), Vinfer.Tensors.Tensor.Scalar(1.5));
        }
        var density = new FlatLogDensity(Model);
        double[] points = [0.3, 800, -0.2];
        var values = new double[3];
        density.Values(points, values);
        Assert.Equal(double.NegativeInfinity, values[1]);
        Assert.Equal(density.Value([0.3]), values[0]);
        Assert.Equal(density.Value([-0.2]), values[2]);
    }

    [Fact]
    public void PathfinderScoresEachIteratesElboDrawsInOneModelPass()
    {
        // model runs = gradient evaluations + one pass per iterate scored; before, one run per ELBO draw (5 per iterate)
        var m = ModelRegistry.Library.Get("eight_schools");
        var bound = m.Bind(m.BundledData!);
        long runs = 0;
        void Counted() { runs++; bound(); }
        var density = new FlatLogDensity(Counted);
        runs = 0;
        var options = new PathfinderOptions { Paths = 1, ElboDraws = 5 };
        var path = Pathfinder.SinglePath(density, 0, options, new Vinfer.Random.RandomKey(3));
        Assert.True(path.Succeeded, path.Failure);
        int scored = path.Elbos.Count(e => e > double.NegativeInfinity);
        Assert.True(scored > 10, $"{scored} iterates scored");
        Assert.Equal(density.GradientEvaluations + scored, runs);
        Assert.Equal(5L * scored, density.ValueEvaluations);
    }
}
