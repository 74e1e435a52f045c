using Vinfer.Distributions;
using Vinfer.Guides;
using Vinfer.Modeling;
using Vinfer.Nn;
using Vinfer.Objectives;
using Vinfer.Random;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Tests.Guides;

/// <summary>
/// The amortized guide on the linear-Gaussian model z_i ~ N(0, 1), x_i | z_i ~ N(z_i, 1): the exact posterior is
/// N(x_i/2, ½), so the optimal linear encoder is known in closed form — mean = ½·x, log σ = ½·log ½ — and with it
/// every importance weight equals p(x_i) = N(x_i; 0, 2).
/// </summary>
public class AmortizedNormalGuideTests
{
    private static readonly double[] X = [0.3, -1.2, 2.1, 0.8, -0.4, 1.5, -2.2, 0.1, 0.9, -0.7];
    private const int Size = 10, Subsample = 4;

    private static (Action Model, AmortizedNormalGuide Guide, Linear Encoder) Build()
    {
        var data = Tensor.FromArray(X, Size, 1);
        var observed = Tensor.FromArray(X, Size);
        void Model()
        {
            using var p = Primitives.Plate("data", Size, Subsample);
            var z = Sample("z", new Normal(0.0, 1.0));
            Sample("x", new Normal(z, Tensor.Scalar(1.0)), observed.IndexSelect(0, p.Indices));
        }
        var encoder = new Linear("encoder", 1, 2, random: new RandomStream(1));
        return (Model, new AmortizedNormalGuide("z", "data", Size, Subsample, data, encoder, 1, scalarLatent: true), encoder);
    }

    private static void SetEncoder(Linear encoder, double meanSlope, double meanIntercept, double logScaleIntercept)
    {
        var parameters = encoder.Parameters().ToDictionary(p => p.Key, p => p.Value);
        var w = parameters["encoder.weight"].Span; var b = parameters["encoder.bias"].Span;
        w[0] = meanSlope; w[1] = 0; b[0] = meanIntercept; b[1] = logScaleIntercept;
    }

    [Fact]
    public void AtTheClosedFormEncoderTheElboIsTheLogEvidenceOfTheSubsample()
    {
        using var _ = new ParamStore().Use();
        var (model, guide, encoder) = Build();
        SetEncoder(encoder, 0.5, 0, 0.5 * Math.Log(0.5));
        var value = new Elbo(5).Evaluate(model, guide.Guide, 1, new RandomStream(3));
        // every draw's weight is p(x_i): the estimate is (N/B)·Σ_{i in the subsample} log N(x_i; 0, 2), whatever the draws
        var w = value.Weights.PlateLogWeights("data");
        Assert.Equal((double)Size / Subsample, w.PlateScale);
        // the subsample's observations, as the replayed model saw them (the same indices as the guide's)
        var seen = value.Weights.ModelTrace.SampleSites.Single(s => s.Name == "x").Value!.Span.ToArray();
        Assert.Equal(Subsample, seen.Distinct().Count());
        double expected = (double)Size / Subsample * seen.Sum(v => -0.5 * Math.Log(2 * Math.PI * 2) - v * v / 4);
        Assert.Equal(expected, value.Estimate, 9);
    }

    [Fact]
    public void TheStickingTheLandingGradientVanishesExactlyAtTheClosedFormEncoder()
    {
        using var _ = new ParamStore().Use();
        var (model, guide, encoder) = Build();
        SetEncoder(encoder, 0.5, 0, 0.5 * Math.Log(0.5));
        var value = new Elbo(6, GradientEstimator.StickingTheLanding).Evaluate(model, guide.Guide, 1, new RandomStream(4));
        value.Loss.Backward();
        foreach (var (name, p) in encoder.Parameters())
            foreach (double g in p.Grad!.Span) Assert.True(Math.Abs(g) < 1e-10, $"{name}: gradient {g}");

        // away from it the gradient is not zero and points back: a larger log σ is pushed down
        encoder.ZeroGrad();
        SetEncoder(encoder, 0.5, 0, 0.5 * Math.Log(0.5) + 0.4);
        var off = new Elbo(64, GradientEstimator.StickingTheLanding).Evaluate(model, guide.Guide, 1, new RandomStream(5));
        off.Loss.Backward();
        var bias = encoder.Parameters().Single(p => p.Key == "encoder.bias").Value.Grad!.Span;
        Assert.True(bias[1] > 0, $"loss gradient in log σ's intercept {bias[1]} should be positive above the optimum");
    }

    [Fact]
    public void TrainingFindsTheClosedFormEncoder()
    {
        using var _ = new ParamStore().Use();
        var (model, guide, encoder) = Build();
        SetEncoder(encoder, -0.3, 0.4, 0.5);
        var adam = new Vinfer.Optim.Adam(0.05);
        var rng = new RandomStream(6);
        for (int step = 0; step < 600; step++)
        {
            using var scope = new TensorScope();
            var value = new Elbo(16, GradientEstimator.StickingTheLanding).Evaluate(model, guide.Guide, 1, rng);
            value.Loss.Backward();
            adam.Step(encoder.Parameters());
            encoder.ZeroGrad();
            if (step == 400) adam.LearningRate = 0.01;
        }
        var p = encoder.Parameters().ToDictionary(q => q.Key, q => q.Value);
        // STL's variance vanishes at the optimum, so the iterates settle there (tolerance: a few Adam steps of 0.01)
        Assert.Equal(0.5, p["encoder.weight"].Span[0], 0.05);
        Assert.Equal(0.0, p["encoder.bias"].Span[0], 0.05);
        Assert.Equal(0.5 * Math.Log(0.5), p["encoder.bias"].Span[1], 0.05);
        Assert.Equal(0.0, p["encoder.weight"].Span[1], 0.05);
    }
}
