using Vinfer.Distributions;
using Vinfer.Modeling;
using Vinfer.Objectives;
using Vinfer.Random;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Tests.Objectives;

/// <summary>
/// Importance sampling per entry of a plate (local latents): the bound is a sum over points of per-point
/// log-mean-exps, checked against the per-point closed forms of the linear-Gaussian model.
/// </summary>
public class LocalImportanceSamplingTests
{
    private static readonly LinearGaussianModel Model = new(dimension: 2, observedDimension: 3, points: 6, noise: 0.6, seed: 23);
    private const string Plate = LinearGaussianModel.PlateName;

    [Fact]
    public void PlateLogWeightsSplitTheJointLogWeightsPerPoint()
    {
        var (loc, tril) = Model.PerturbedGuideParameters(0.3, 1.3);
        using var _ = new ParamStore().Use();
        var w = ParticleLogWeights.Compute(Model.Model, Model.Guide(loc, tril), 4, 1, new RandomStream(2));
        var (global, local, scale) = w.PlateLogWeights(Plate);
        Assert.Equal([4, Model.N], local.Shape.ToArray());
        Assert.Equal(1.0, scale);
        var joint = w.LogWeights.Span;
        for (int p = 0; p < 4; p++)
        {
            double sum = global.Span[p];
            for (int b = 0; b < Model.N; b++) sum += local[p, b];
            Assert.Equal(joint[p], sum, 10);
        }
    }

    [Fact]
    public void LocalIwaeIsTheSumOfPerPointLogMeanExps()
    {
        var (loc, tril) = Model.PerturbedGuideParameters(0.3, 1.3);
        const int k = 7, s = 3;
        using var _ = new ParamStore().Use();
        var value = new IwaeBound(k, s, localPlate: Plate).Evaluate(Model.Model, Model.Guide(loc, tril), 1, new RandomStream(5));
        var local = value.Weights.PlateLogWeights(Plate).Local;
        double expected = 0;
        var column = new double[k];
        for (int e = 0; e < s; e++)
            for (int b = 0; b < Model.N; b++)
            {
                for (int i = 0; i < k; i++) column[i] = local[e * k + i, b];
                double max = column.Max();
                expected += max + Math.Log(column.Sum(v => Math.Exp(v - max)) / k);
            }
        Assert.Equal(expected / s, value.Estimate, 9);
    }

    [Fact]
    public void LocalRenyiBoundMatchesThePerPointClosedForms()
    {
        var (loc, tril) = Model.PerturbedGuideParameters(0.3, 1.3);
        const double alpha = 0.5;
        const int k = 40_000;
        using var _ = new ParamStore().Use();
        var value = new RenyiBound(alpha, k, localPlate: Plate).Evaluate(Model.Model, Model.Guide(loc, tril), 1, new RandomStream(6));
        var local = value.Weights.PlateLogWeights(Plate).Local;
        var exact = Model.PointRenyiBound(alpha, loc, tril);
        double variance = 0;
        for (int b = 0; b < Model.N; b++)
        {
            var u = new double[k];
            double shift = double.NegativeInfinity;
            for (int i = 0; i < k; i++) shift = Math.Max(shift, (1 - alpha) * local[i, b]);
            for (int i = 0; i < k; i++) u[i] = Math.Exp((1 - alpha) * local[i, b] - shift);
            var (mean, se) = ImportanceWeightedBoundTests.MeanAndError(u);
            variance += Math.Pow(se / mean / (1 - alpha), 2);
        }
        double total = exact.Sum(), error = Math.Sqrt(variance);
        Assert.InRange(value.Estimate, total - 5 * error, total + 5 * error);
    }

    [Fact]
    public void PerPointImportanceSamplingIsTighterThanJointImportanceSampling()
    {
        var (loc, tril) = Model.PerturbedGuideParameters(0.4, 1.5);
        const int k = 16, s = 400;
        using var _ = new ParamStore().Use();
        var joint = new IwaeBound(k, s).Evaluate(Model.Model, Model.Guide(loc, tril), 1, new RandomStream(7)).Estimate;
        var local = new IwaeBound(k, s, localPlate: Plate).Evaluate(Model.Model, Model.Guide(loc, tril), 1, new RandomStream(8)).Estimate;
        double evidence = Model.LogEvidence();
        Assert.True(joint < local && local < evidence, $"joint IWAE {joint}, per-point IWAE {local}, log p(x) {evidence}");
    }

    [Fact]
    public void LocalImportanceSamplingRejectsAGlobalLatent()
    {
        using var _ = new ParamStore().Use();
        void GlobalModel()
        {
            var mu = Sample("mu", new Normal(0.0, 1.0));
            using (Primitives.Plate(Plate, 3)) Sample("x", new Normal(mu, Tensor.Scalar(1.0)), Tensor.FromArray([0.1, 0.2, 0.3], 3));
        }
        void GlobalGuide() => Sample("mu", new Normal(Param("m", Tensor.Scalar(0.0)), Tensor.Scalar(1.0)));
        var e = Assert.Throws<NotSupportedException>(() => new IwaeBound(4, localPlate: Plate).Evaluate(GlobalModel, GlobalGuide, 1, new RandomStream(1)));
        Assert.Contains("'mu'", e.Message);
    }
}
