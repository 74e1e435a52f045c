using Vinfer.Experiments.Targets;
using Vinfer.Inference;
using Vinfer.Optim;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Tests.Inference;

/// <summary>Annealed SVGD (D'Angelo and Fortuin 2021): the schedule's closed form, the tempered direction, and the ring's mode weights.</summary>
public class SvgdAnnealingTests
{
    [Fact]
    public void OneCycleRisesLinearlyToOneAndStaysThere()
    {
        var schedule = new SvgdAnnealing(10);
        for (int t = 0; t < 10; t++) Assert.Equal((t + 1) / 10.0, schedule.Gamma(t), 15);
        Assert.Equal(1.0, schedule.Gamma(10));
        Assert.Equal(1.0, schedule.Gamma(1000));
    }

    [Fact]
    public void CyclesRestartAtZeroAndThePowerBendsTheRise()
    {
        // two cycles of length 5, γ = ((t mod 5 + 1)/5)²
        var schedule = new SvgdAnnealing(10, cycles: 2, power: 2);
        double[] expected = [0.04, 0.16, 0.36, 0.64, 1, 0.04, 0.16, 0.36, 0.64, 1, 1];
        for (int t = 0; t < expected.Length; t++) Assert.Equal(expected[t], schedule.Gamma(t), 14);
    }

    [Theory]
    [InlineData(0, 1, 1.0, "steps")]
    [InlineData(10, 0, 1.0, "cycles")]
    [InlineData(10, 11, 1.0, "cycles")]
    [InlineData(10, 1, 0.0, "power")]
    [InlineData(10, 1, double.NaN, "power")]
    public void BadSettingsAreClearErrors(int steps, int cycles, double power, string argument)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new SvgdAnnealing(steps, cycles, power));
        Assert.Equal(argument, e.ParamName);
    }

    [Fact]
    public void ANegativeStepIsAClearError() =>
        Assert.Equal("step", Assert.Throws<ArgumentOutOfRangeException>(() => new SvgdAnnealing(5).Gamma(-1)).ParamName);

    /// <summary>
    /// One annealed step moves the particles by the SVGD direction of the tempered target: the scores scaled by γ,
    /// the repulsion whole (plain SGD with rate 1, so the move is φ itself).
    /// </summary>
    [Fact]
    public void AnAnnealedStepIsTheDirectionWithScaledScores()
    {
        var ring = new GaussianRing();
        var annealing = new SvgdAnnealing(4);
        var svgd = new Svgd(ring.Program, 12, optimizer: new Sgd(1.0), initScale: 2.0) { Annealing = annealing };
        var before = svgd.Particles.Detach().Clone();
        var scores = RingScores(ring, before.ToArray(), 12);
        for (int i = 0; i < scores.Length; i++) scores[i] *= annealing.Gamma(0);
        var phi = new RbfSteinKernel().Direction(before, Tensor.FromArray(scores, 12, 2)).ToArray();
        svgd.Step(new RandomStream(new RandomKey(1)));
        var after = svgd.Particles.ToArray();
        var start = before.ToArray();
        for (int i = 0; i < after.Length; i++) Assert.Equal(start[i] + phi[i], after[i], 12);
        Assert.Equal(1, svgd.StepsTaken);
    }

    /// <summary>∇ log p of the ring at each particle, in closed form: Σₖ rₖ (cₖ − z)/σ² with responsibilities rₖ.</summary>
    private static double[] RingScores(GaussianRing ring, double[] z, int n)
    {
        var scores = new double[2 * n];
        for (int i = 0; i < n; i++)
        {
            var logWeights = new double[ring.Modes];
            for (int k = 0; k < ring.Modes; k++)
            {
                var (cx, cy) = ring.Centre(k);
                logWeights[k] = -((z[2 * i] - cx) * (z[2 * i] - cx) + (z[2 * i + 1] - cy) * (z[2 * i + 1] - cy)) / (2 * ring.Scale * ring.Scale);
            }
            double max = logWeights.Max(), total = logWeights.Sum(l => Math.Exp(l - max));
            for (int k = 0; k < ring.Modes; k++)
            {
                double r = Math.Exp(logWeights[k] - max) / total;
                var (cx, cy) = ring.Centre(k);
                scores[2 * i] += r * (cx - z[2 * i]) / (ring.Scale * ring.Scale);
                scores[2 * i + 1] += r * (cy - z[2 * i + 1]) / (ring.Scale * ring.Scale);
            }
        }
        return scores;
    }

    /// <summary>
    /// All n particles start in one mode of the 8-Gaussian ring. Plain SVGD spills crowded particles only into the
    /// nearby modes (some mode's weight ends outside the band below); annealed SVGD spreads them over the tempered
    /// target first, and every mode ends with a weight within 4 multinomial standard errors √((1/8)(7/8)/n) of 1/8
    /// (n = 200: ±0.094).
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AnnealingMovesParticlesFromOneModeToAllEightInEqualShares(bool annealed)
    {
        var ring = new GaussianRing();
        const int n = 200, steps = 1500;
        var svgd = new Svgd(ring.Program, n, optimizer: new RmsProp(0.05, alpha: 0.9, epsilon: 1e-6), initScale: ring.Scale, initSeed: 3)
        {
            Annealing = annealed ? new SvgdAnnealing(steps / 2) : null,
        };
        var (cx, cy) = ring.Centre(0);
        var start = svgd.Particles.Span;
        for (int i = 0; i < n; i++) { start[2 * i] += cx; start[2 * i + 1] += cy; }
        svgd.Run(new SviOptions { Steps = steps, Tolerance = null, Seed = 1 });
        var z = svgd.Particles.ToArray();
        var weights = new double[ring.Modes];
        for (int i = 0; i < n; i++) weights[ring.NearestMode(z[2 * i], z[2 * i + 1])] += 1.0 / n;
        double tolerance = 4 * Math.Sqrt(1.0 / 8 * 7 / 8 / n);
        if (annealed) Assert.All(weights, w => Assert.InRange(w, 1.0 / 8 - tolerance, 1.0 / 8 + tolerance));
        else Assert.True(weights.Any(w => Math.Abs(w - 1.0 / 8) > tolerance), $"plain SVGD's weights {string.Join(" ", weights.Select(w => w.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))} are all within {tolerance:F3} of 1/8");
    }

    /// <summary>
    /// Stan's rule does not stop an annealed run while γ is still rising: with a loose tolerance that stops plain
    /// SVGD at its first chance, the annealed run takes at least its annealed steps.
    /// </summary>
    [Fact]
    public void TheStoppingRuleWaitsForTheAnnealingToEnd()
    {
        var m = new ConjugateNormal();
        var options = new SviOptions { Steps = 2000, Tolerance = 0.5, EvalEvery = 20, Seed = 2 };
        var plain = new Svgd(m.Model, 10, optimizer: new Adam(0.1)).Run(options);
        var annealedSvgd = new Svgd(m.Model, 10, optimizer: new Adam(0.1)) { Annealing = new SvgdAnnealing(600) };
        var annealed = annealedSvgd.Run(options);
        Assert.True(plain.Steps < 600, $"plain SVGD ran {plain.Steps} steps; the test needs a rule that stops it before 600");
        Assert.InRange(annealed.Steps, 600, 1999);
        Assert.Equal(annealed.Steps, annealedSvgd.StepsTaken);
    }
}
