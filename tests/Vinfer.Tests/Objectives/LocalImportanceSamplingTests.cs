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
    public void SubsampledPlateScalesThePerPointBoundsNotTheLogWeights()
    {
        // z_i ~ N(0, 1), x_i | z_i ~ N(z_i, 1), 10 points, 4 drawn per pass; the guide is each point's exact posterior
        // N(x_i/2, ½), so every per-point bound is log N(x_i; 0, 2) and the estimate is (10/4)·Σ over the subsample.
        double[] x = [0.3, -1.2, 2.1, 0.8, -0.4, 1.5, -2.2, 0.1, 0.9, -0.7];
        const int size = 10, subsample = 4;
        var data = Tensor.FromArray(x, size);
        var indices = new List<int[]>();
        void SubsampledModel()
        {
            using var p = Primitives.Plate(Plate, size, subsample);
            var z = Sample("z", new Normal(0.0, 1.0));
            Sample("x", new Normal(z, Tensor.Scalar(1.0)), data.IndexSelect(0, p.Indices));
        }
        void SubsampledGuide()
        {
            using var p = Primitives.Plate(Plate, size, subsample);
            indices.Add(p.Indices);
            Sample("z", new Normal(data.IndexSelect(0, p.Indices) * 0.5, Tensor.Scalar(Math.Sqrt(0.5))));
        }
        using var _ = new ParamStore().Use();
        var value = new IwaeBound(6, 2, localPlate: Plate).Evaluate(SubsampledModel, SubsampledGuide, 1, new RandomStream(3));
        var used = indices[0];
        Assert.Equal(subsample, used.Length);
        double expected = (double)size / subsample * used.Sum(i => -0.5 * Math.Log(2 * Math.PI * 2) - x[i] * x[i] / 4);
        Assert.Equal(expected, value.Estimate, 9);
        Assert.Equal((double)size / subsample, value.Weights.PlateLogWeights(Plate).PlateScale);
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
