using System.Text.Json.Nodes;
using Vinfer.Inference;
using Vinfer.Random;

namespace Vinfer.Tests.Inference;

/// <summary><see cref="FitLoop"/> driving an update that is not SVI.</summary>
public class FitLoopTests
{
    /// <summary>The Dottie number, the fixed point of cos: x = cos x.</summary>
    private const double Dottie = 0.7390851332151607;

    /// <summary>
    /// The relaxed fixed-point iteration x ← x + ρ·r·(cos x − x) with a random relaxation r ~ Uniform(0.5, 1) per
    /// step: no gradient, a random trajectory, and the same limit (the Dottie number) whatever the draws. A draw
    /// below <see cref="FailBelow"/> "diverges" (x becomes NaN), so recoveries happen at places the seed fixes.
    /// </summary>
    private sealed class RelaxedFixedPoint : IIterativeUpdate
    {
        public const double FailBelow = 0.03;
        public double X = 3.0;
        public double Relaxation = 1.0;
        public int Failures;

        public string Name => "fixed point";

        public double Step(RandomStream random)
        {
            Span<double> u = stackalloc double[2];
            Sample.Uniform(random.NextKey(), u);
            if (u[0] < FailBelow) { X = double.NaN; Failures++; return double.NaN; }
            X += Relaxation * (0.5 + 0.5 * u[1]) * (Math.Cos(X) - X);
            return X;
        }

        public object CaptureState() => X;
        public void RestoreState(object snapshot) => X = (double)snapshot;
        public void BackOff(double factor) => Relaxation *= factor;
        public double StepSize => Relaxation;
        public JsonNode SaveState() => new JsonObject { ["x"] = X, ["relaxation"] = Relaxation };
        public void LoadState(JsonNode state) { X = (double)state["x"]!; Relaxation = (double)state["relaxation"]!; }
        public double EstimateObjective(int particles, RandomStream random) => X;
    }

    /// <summary>
    /// An update that does not move, whose objective estimate is its fixed value plus the mean of the estimate's
    /// draws: every evaluation sees only Monte Carlo noise, and sees none when the evaluations share their draws.
    /// </summary>
    private sealed class StandingStill : IIterativeUpdate
    {
        public string Name => "standing still";
        public double Step(RandomStream random) => -30.0;
        public object CaptureState() => 0;
        public void RestoreState(object snapshot) { }
        public void BackOff(double factor) { }
        public double StepSize => 1;
        public JsonNode SaveState() => new JsonObject();
        public void LoadState(JsonNode state) { }

        public double EstimateObjective(int particles, RandomStream random)
        {
            var noise = new double[particles];
            Sample.Normal(random.NextKey(), noise);
            return -30.0 + noise.Average();
        }
    }

    [Fact]
    public void EveryConvergenceCheckOfARunDrawsTheSameNoise()
    {
        // Stan's rule on an objective that does not change: with independent draws per check, the relative change of
        // two 100-draw estimates of −30 (sd 0.1 each) is about 0.1·√2/30 = 0.005 and exceeds a tolerance of 0.001
        // at almost every check, so the rule never stops; with common draws every change after the first is exactly 0
        var run = new FitLoop(new StandingStill()).Run(new SviOptions { Steps = 2_000, EvalEvery = 10, Tolerance = 1e-3, Seed = 4, ElboParticles = 100 });
        Assert.True(run.Converged);
        Assert.Single(run.ElboEvaluations.Select(e => e.Elbo).Distinct());
        // the window holds 20 changes (0.1 · 2000 / 10) and the first is 1: the median falls below tol at the third check
        Assert.Equal(30, run.Steps);
    }

    [Fact]
    public void ANonGradientUpdateReachesItsFixedPointThroughRecoveries()
    {
        var update = new RelaxedFixedPoint();
        var run = new FitLoop(update).Run(new SviOptions { Steps = 200, EvalEvery = 5, Seed = 3, Backoff = 0.8, MaxRecoveries = 20 });
        Assert.Equal(200, run.Steps);
        Assert.True(run.Recoveries >= 1, "the seed was chosen so that some draws fail");
        Assert.Equal(update.Failures, run.Recoveries);
        // each recovery went back to the last good state (x finite) and lowered the relaxation by the back-off
        Assert.Equal(Math.Pow(0.8, run.Recoveries), update.Relaxation, 14);
        Assert.Equal(Math.Pow(0.8, run.Recoveries), run.LearningRate, 14);
        Assert.Equal(200, run.ElboTrace.Length);
        Assert.Equal(Dottie, update.X, 14);
        Assert.Equal(update.X, run.ElboTrace[^1]);
    }

    [Fact]
    public void StansRuleOnTheUpdatesEstimateStopsTheLoop()
    {
        var update = new RelaxedFixedPoint();
        var run = new FitLoop(update).Run(new SviOptions { Steps = 10_000, Tolerance = 1e-6, EvalEvery = 5, Seed = 3 });
        Assert.True(run.Converged);
        Assert.True(run.Steps < 10_000);
        Assert.All(run.ElboEvaluations, e => Assert.Equal(run.ElboTrace[e.Step - 1], e.Elbo));
    }

    [Fact]
    public void AResumedLoopIsBitIdenticalToAnUninterruptedOne()
    {
        // a small relaxation keeps x moving over the whole run, so Stan's rule (evaluated and replayed) does not stop it
        var options = new SviOptions { Steps = 90, EvalEvery = 5, Tolerance = 1e-12, Seed = 10, Backoff = 0.8, MaxRecoveries = 20 };
        var straight = new RelaxedFixedPoint { Relaxation = 0.05 };
        var full = new FitLoop(straight).Run(options);
        Assert.True(full.Recoveries >= 2, "recoveries before and after the interruption");

        var firstUpdate = new RelaxedFixedPoint { Relaxation = 0.05 };
        var first = new FitLoop(firstUpdate);
        var part = first.Run(options with { Steps = 45 });
        Assert.True(part.Recoveries >= 1 && part.Recoveries < full.Recoveries);
        var json = first.LastCheckpoint!.ToJson().ToJsonString();
        var resumed = new RelaxedFixedPoint { Relaxation = 0.05 };
        var rest = new FitLoop(resumed).Run(options, FitLoopCheckpoint.FromJson(JsonNode.Parse(json)!));

        Assert.Equal(BitConverter.DoubleToInt64Bits(straight.X), BitConverter.DoubleToInt64Bits(resumed.X));
        Assert.Equal(straight.Relaxation, resumed.Relaxation);
        Assert.Equal(full.ElboTrace, rest.ElboTrace);
        Assert.Equal(full.ElboEvaluations, rest.ElboEvaluations);
        Assert.Equal(full.Recoveries, rest.Recoveries);
    }

    [Fact]
    public void EveryPeriodicCheckpointResumesBitIdentically()
    {
        // checkpoints every 15 steps (a multiple of the evaluation period 5), through recoveries: each one, saved as
        // JSON and resumed, finishes the run exactly as the run that never stopped
        var checkpoints = new List<string>();
        var options = new SviOptions { Steps = 90, EvalEvery = 5, Tolerance = 1e-12, Seed = 10, Backoff = 0.8, MaxRecoveries = 20 };
        var straight = new RelaxedFixedPoint { Relaxation = 0.05 };
        var full = new FitLoop(straight).Run(options with { CheckpointEvery = 15, Checkpoint = c => checkpoints.Add(c.ToJson().ToJsonString()) });
        Assert.True(full.Recoveries >= 2);
        Assert.Equal([15, 30, 45, 60, 75, 90], checkpoints.Select(c => (int)JsonNode.Parse(c)!["step"]!));
        foreach (var json in checkpoints)
        {
            var resumed = new RelaxedFixedPoint { Relaxation = 0.05 };
            var rest = new FitLoop(resumed).Run(options, FitLoopCheckpoint.FromJson(JsonNode.Parse(json)!));
            Assert.Equal(BitConverter.DoubleToInt64Bits(straight.X), BitConverter.DoubleToInt64Bits(resumed.X));
            Assert.Equal(full.ElboTrace, rest.ElboTrace);
            Assert.Equal(full.ElboEvaluations, rest.ElboEvaluations);
            Assert.Equal(full.Recoveries, rest.Recoveries);
        }
    }

    [Fact]
    public void ACheckpointPeriodOffTheEvaluationGridIsRefused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new FitLoop(new RelaxedFixedPoint()).Run(new SviOptions { Steps = 10, EvalEvery = 5, CheckpointEvery = 7, Checkpoint = _ => { } }));
        Assert.Contains("multiple of EvalEvery (5), got 7", e.Message);
    }

    [Fact]
    public void PersistentFailureNamesTheUpdate()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new FitLoop(new AlwaysFails()).Run(new SviOptions { Steps = 10, MaxRecoveries = 2 }));
        Assert.Contains("always fails", e.Message);
        Assert.Contains("not finite at step 1", e.Message);
    }

    private sealed class AlwaysFails : IIterativeUpdate
    {
        public string Name => "always fails";
        public double Step(RandomStream random) => double.NaN;
        public object CaptureState() => 0;
        public void RestoreState(object snapshot) { }
        public void BackOff(double factor) { }
        public double StepSize => 1;
        public JsonNode SaveState() => new JsonObject();
        public void LoadState(JsonNode state) { }
        public double EstimateObjective(int particles, RandomStream random) => double.NaN;
    }
}
