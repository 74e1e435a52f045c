using Vinfer.Distributions;
using Vinfer.Inference;
using Vinfer.Nn;
using Vinfer.Optim;
using Vinfer.Random;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Tests.Inference;

/// <summary>
/// <see cref="NeuralPosteriorEstimation"/> on the conjugate model θ ∼ N(0, 1), x | θ ∼ N(θ, ½²), whose posterior
/// is N(0.8 x, 0.2): the amortized q(θ | x) = N(a x + b, exp(c x + d)²) trained on simulated pairs only must recover
/// the exact posterior at held-out x.
/// </summary>
public class NeuralPosteriorEstimationTests
{
    private static void Model()
    {
        var theta = Sample("theta", new Normal(0, 1));
        Sample("x", new Normal(theta, Tensor.Scalar(0.5)));
    }

    private static Linear Network() => new("npe", 1, 2, random: new RandomStream(3));

    private static Distribution Posterior(Linear network, Tensor x)
    {
        var output = network.Forward(x.Reshape(x.Shape[0], 1));
        return new Normal(output.Narrow(1, 0, 1).Reshape(x.Shape[0]), output.Narrow(1, 1, 1).Reshape(x.Shape[0]).Exp());
    }

    [Fact]
    public void LearnsTheExactConjugatePosteriorFromSimulationsAlone()
    {
        var network = Network();
        var optimizer = new Adam(0.02) { Schedule = LearningRateSchedule.InverseTime(0.02, 2e-3) };
        var npe = new NeuralPosteriorEstimation(Model, "theta", "x", x => Posterior(network, x), optimizer, simulationsPerStep: 64);
        var random = new RandomStream(2024);
        for (int step = 0; step < 1500; step++) Assert.True(double.IsFinite(npe.Step(random)));
        using var _ = npe.Store.Use();
        foreach (double x in new[] { -2.0, -0.3, 0.0, 1.5, 2.5 })
        {
            var q = (Normal)Posterior(network, Tensor.FromArray([x], 1));
            double mean = q.Loc.Span[0], sd = q.Scale.Span[0];
            Assert.True(Math.Abs(mean - 0.8 * x) < 0.06, $"posterior mean at x = {x}: {mean} vs exact {0.8 * x}");
            Assert.True(Math.Abs(sd - Math.Sqrt(0.2)) < 0.03, $"posterior sd at x = {x}: {sd} vs exact {Math.Sqrt(0.2)}");
        }
        // L_P at the optimum is the expected posterior entropy, ½ log(2πe·0.2) = 0.6142; 20,000 held-out pairs: se ≈ 0.007.
        var (theta, observed) = NeuralPosteriorEstimation.Simulate(Model, "theta", "x", 20_000, new RandomStream(7));
        Assert.Equal(0.5 * Math.Log(2 * Math.PI * Math.E * 0.2), npe.Loss(theta, observed), 1.5e-2);
    }

    [Fact]
    public void SimulatesPairsFromThePriorAndLikelihood()
    {
        var (theta, x) = NeuralPosteriorEstimation.Simulate(Model, "theta", "x", 40_000, new RandomStream(1));
        Assert.Equal([40_000], theta.ShapeArray);
        var t = theta.Span.ToArray(); var o = x.Span.ToArray();
        // Var θ = 1, Var(x − θ) = 0.25: 5 standard errors of a variance estimate from n draws are 5σ²√(2/n).
        double varTheta = t.Average(v => v * v), varNoise = t.Zip(o, (a, b) => (b - a) * (b - a)).Average();
        Assert.True(Math.Abs(varTheta - 1) < 5 * Math.Sqrt(2.0 / t.Length), $"Var θ = {varTheta}");
        Assert.True(Math.Abs(varNoise - 0.25) < 5 * 0.25 * Math.Sqrt(2.0 / t.Length), $"Var(x − θ) = {varNoise}");
    }

    [Fact]
    public void ObservedOrMissingSitesAreRejectedByName()
    {
        void Conditioned()
        {
            var theta = Sample("theta", new Normal(0, 1));
            Sample("x", new Normal(theta, Tensor.Scalar(0.5)), Tensor.Scalar(1.0));
        }
        var e = Assert.Throws<ArgumentException>(() => NeuralPosteriorEstimation.Simulate(Conditioned, "theta", "x", 2, new RandomStream(1)));
        Assert.Contains("'x' is observed", e.Message);
        var missing = Assert.Throws<ArgumentException>(() => NeuralPosteriorEstimation.Simulate(Model, "mu", "x", 2, new RandomStream(1)));
        Assert.Contains("'mu'", missing.Message);
    }
}
