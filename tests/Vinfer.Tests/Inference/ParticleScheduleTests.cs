using System.Text.Json.Nodes;
using Vinfer.Inference;
using Vinfer.Models;
using Vinfer.Objectives;
using Vinfer.Random;

namespace Vinfer.Tests.Inference;

/// <summary>
/// The particle schedule of ADVI (<see cref="ParticleSchedule"/>, <see cref="ScheduledParticleObjective"/>,
/// <see cref="FitOptions.MinimumParticles"/>): its counts, and that a scheduled fit stays deterministic and resumes
/// bit-identically from a checkpoint taken while the count was still rising.
/// </summary>
public sealed class ParticleScheduleTests
{
    [Theory]
    [InlineData(double.PositiveInfinity, 1)]
    [InlineData(double.NaN, 1)]
    [InlineData(1.0, 1)]        // ⌈8 · 0.01 / 1⌉ = 1
    [InlineData(0.08, 1)]       // ⌈8 · 0.01 / 0.08⌉ = 1
    [InlineData(0.079, 2)]      // ⌈1.0127⌉ = 2
    [InlineData(0.02, 4)]
    [InlineData(0.016, 5)]
    [InlineData(0.0100001, 8)]  // ⌈7.9999⌉ = 8
    [InlineData(0.01, 8)]
    [InlineData(1e-6, 8)]
    public void TheCountIsTheMaximumTimesTolOverTheChangeRoundedUpAndClamped(double relativeChange, int expected)
    {
        Assert.Equal(expected, new ParticleSchedule(1, 8, 0.01).ParticlesFor(relativeChange));
    }

    [Fact]
    public void TheMinimumHoldsFarFromTheOptimumAndWithoutAMonitor()
    {
        var schedule = new ParticleSchedule(3, 16, 0.01);
        Assert.Equal(3, schedule.ParticlesFor(0.9));
        Assert.Equal(3, schedule.ParticlesFor((ConvergenceMonitor?)null));
        var monitor = new ConvergenceMonitor(0.01, 4);
        Assert.Equal(3, schedule.ParticlesFor(monitor));
        monitor.Record(-100);   // first change is 1
        Assert.Equal(3, schedule.ParticlesFor(monitor));
        monitor.Record(-99);    // |−100 + 99| / 99 = 0.0101 → ⌈16 · 0.01 / 0.0101⌉ = 16
        Assert.Equal(16, schedule.ParticlesFor(monitor));
        monitor.Record(-97);    // 2/97 = 0.0206 → ⌈7.76⌉ = 8
        Assert.Equal(8, schedule.ParticlesFor(monitor));
    }

    [Theory]
    [InlineData(0, 8, 0.01, "minimum")]
    [InlineData(5, 4, 0.01, "maximum")]
    [InlineData(1, 8, 0.0, "tolerance")]
    [InlineData(1, 8, double.PositiveInfinity, "tolerance")]
    public void BadSchedulesAreRejectedByName(int minimum, int maximum, double tolerance, string argument)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ParticleSchedule(minimum, maximum, tolerance));
        Assert.Equal(argument, e.ParamName);
    }

    /// <summary>An objective with a counter as its state, to see the wrapper keep each instance's state apart.</summary>
    private sealed class CountingObjective(int particles) : IObjective
    {
        public int Calls;
        public int Particles { get; } = particles;
        public ObjectiveValue Evaluate(Action model, Action guide, int maxPlateNesting, RandomStream random) { Calls++; return null!; }
        public JsonNode? SaveState() => Calls == 0 ? null : JsonValue.Create(Calls);
        public void LoadState(JsonNode? state) => Calls = state is null ? 0 : (int)state;
    }

    [Fact]
    public void TheWrapperSwitchesInstancesAndSavesEachOnesState()
    {
        var made = new List<int>();
        var wrapper = new ScheduledParticleObjective(s => { made.Add(s); return new CountingObjective(s); }, 1);
        var random = new RandomStream(new RandomKey(1));
        wrapper.Evaluate(() => { }, () => { }, 0, random);
        wrapper.SetParticles(4);
        Assert.Equal(4, wrapper.Particles);
        wrapper.Evaluate(() => { }, () => { }, 0, random);
        wrapper.Evaluate(() => { }, () => { }, 0, random);
        wrapper.SetParticles(1);
        Assert.Equal([1, 4], made);   // the one-particle instance is reused, not rebuilt
        var saved = wrapper.SaveState()!;
        Assert.Equal("{\"1\":1,\"4\":2}", saved.ToJsonString());

        var fresh = new ScheduledParticleObjective(s => new CountingObjective(s), 2);
        fresh.LoadState(JsonNode.Parse(saved.ToJsonString()));
        Assert.Equal(saved.ToJsonString(), fresh.SaveState()!.ToJsonString());
        Assert.Equal(2, fresh.Particles);   // the count is the schedule's, not state
        Assert.Throws<FormatException>(() => fresh.LoadState(JsonNode.Parse("{\"two\":1}")));
        Assert.Throws<FormatException>(() => fresh.LoadState(JsonNode.Parse("[1]")));
    }

    private static Action EightSchools() => ModelRegistry.Library.Get("eight_schools") is var m ? m.Bind(m.BundledData!) : throw new InvalidOperationException();

    // From the origin the ELBO changes by more than tol for several evaluations, so the count rises through the run.
    private static FitOptions Scheduled => new() { Initialization = AdviStart.Origin, Seed = 11, Draws = 100, AverageSteps = 50, CheckpointEvery = 100 };

    [Fact]
    public void AScheduledFitResumedFromAMidRunCheckpointEqualsTheUninterruptedFit()
    {
        var model = EightSchools();
        var checkpoints = new List<SviCheckpoint>();
        var straight = VariationalFit.Fit(model, Scheduled with { Checkpoint = checkpoints.Add });
        Assert.True(straight.Run.Steps >= 400, $"the fit stopped after {straight.Run.Steps} steps; the test needs a run that converges late");
        // the checkpoint at step 200: the count then depends on the two evaluations the resumed run must replay
        var at200 = checkpoints.Single(c => c.ToFitLoopCheckpoint().Step == 200);
        var resumed = VariationalFit.Fit(model, Scheduled with { Resume = SviCheckpoint.FromJson(JsonNode.Parse(at200.ToJson().ToJsonString())!) });
        Assert.Equal(straight.Run.ElboTrace, resumed.Run.ElboTrace);
        Assert.Equal(straight.Draws.Values, resumed.Draws.Values);
    }

    [Fact]
    public void TheScheduleChangesTheFitAndAFixedCountDoesNot()
    {
        var model = EightSchools();
        var scheduled = VariationalFit.Fit(model, Scheduled);
        var fixedCount = VariationalFit.Fit(model, Scheduled with { MinimumParticles = 8 });
        Assert.NotEqual(scheduled.Run.ElboTrace, fixedCount.Run.ElboTrace);
        // the first 100 steps use one particle: the per-step ELBO estimates are noisier than with eight
        double Spread(double[] t) { double m = t.Take(100).Average(); return t.Take(100).Skip(50).Sum(x => (x - m) * (x - m)); }
        Assert.True(Spread(scheduled.Run.ElboTrace) > Spread(fixedCount.Run.ElboTrace));
        Assert.Equal(scheduled.Run.ElboTrace, VariationalFit.Fit(model, Scheduled).Run.ElboTrace);
        // without a tolerance (a fixed step count) there is no statistic: every step uses the full count
        var fixedSteps = Scheduled with { Tolerance = null, Steps = 200 };
        Assert.Equal(VariationalFit.Fit(model, fixedSteps with { MinimumParticles = 8 }).Run.ElboTrace, VariationalFit.Fit(model, fixedSteps).Run.ElboTrace);
        Assert.Throws<ArgumentOutOfRangeException>(() => VariationalFit.Fit(model, Scheduled with { MinimumParticles = 0 }));
    }
}
