using Vinfer.Guides;
using Vinfer.Inference;
using Vinfer.Modeling;
using Vinfer.Objectives;
using Vinfer.Optim;
using Vinfer.Random;
using Vinfer.Tests.Inference;

namespace Vinfer.Tests.Objectives;

/// <summary><see cref="IObjective.Estimate"/>: what convergence monitoring records, whatever the objective.</summary>
public class ObjectiveEstimateTests
{
    /// <summary>
    /// An ELBO whose monitoring estimate is a different number (the ELBO minus a constant and the particle count),
    /// and that remembers what it returned.
    /// </summary>
    private sealed class ShiftedEstimate : IObjective
    {
        private readonly Elbo _elbo = new(2);
        public readonly List<double> Returned = new();
        public int Particles => _elbo.Particles;
        public ObjectiveValue Evaluate(Action model, Action guide, int maxPlateNesting, RandomStream random) =>
            _elbo.Evaluate(model, guide, maxPlateNesting, random);
        public double Estimate(Action model, Action guide, int maxPlateNesting, int particles, RandomStream random)
        {
            double value = _elbo.Estimate(model, guide, maxPlateNesting, particles, random) - 1000 - particles;
            Returned.Add(value);
            return value;
        }
    }

    [Fact]
    public void TheConvergenceMonitorRecordsTheObjectivesOwnEstimate()
    {
        var c = new ConjugateNormal();
        var objective = new ShiftedEstimate();
        var svi = new Svi(c.Model, new AutoNormal(c.Model), new Adam(0.05), objective);
        var run = svi.Run(new SviOptions { Steps = 40, EvalEvery = 10, Tolerance = 1e-9, ElboParticles = 37, Seed = 2 });
        Assert.Equal(4, run.ElboEvaluations.Count);
        Assert.Equal(objective.Returned, run.ElboEvaluations.Select(e => e.Elbo));
        // the ELBO itself is near −20 here; the shifted estimates are not
        Assert.All(run.ElboEvaluations, e => Assert.True(e.Elbo < -1000 - 37));
    }

    [Fact]
    public void ElboEstimateIsTheElboOfSvi()
    {
        var c = new ConjugateNormal();
        var svi = new Svi(c.Model, new AutoNormal(c.Model), new Adam(0.05), new Elbo(3));
        svi.Run(new SviOptions { Steps = 20, Seed = 1 });
        Assert.Equal(svi.EvaluateElbo(50, new RandomStream(9)), svi.EstimateObjective(50, new RandomStream(9)));
    }

    /// <summary>An objective that implements only <see cref="IObjective.Evaluate"/>.</summary>
    private sealed class EvaluateOnly(int particles) : IObjective
    {
        public int Calls;
        public int Particles => particles;
        public ObjectiveValue Evaluate(Action model, Action guide, int maxPlateNesting, RandomStream random)
        {
            Calls++;
            Assert.False(Vinfer.Tensors.GradMode.IsEnabled);
            return new Elbo(particles).Evaluate(model, guide, maxPlateNesting, random);
        }
    }

    [Fact]
    public void TheDefaultEstimateAveragesEnoughEvaluationsWithoutGradients()
    {
        var c = new ConjugateNormal();
        var guide = new AutoNormal(c.Model);
        using var _ = new ParamStore().Use();
        guide.InitializeParameters();
        IObjective objective = new EvaluateOnly(4);
        double estimate = objective.Estimate(c.Model, guide.Run, 1, 10, new RandomStream(5));
        Assert.Equal(3, ((EvaluateOnly)objective).Calls);
        // the same three 4-particle evaluations, drawn from the same stream in turn
        var random = new RandomStream(5);
        var elbo = new Elbo(4);
        double expected = 0;
        for (int r = 0; r < 3; r++) expected += elbo.Evaluate(c.Model, guide.Run, 1, random).Estimate;
        Assert.Equal(expected / 3, estimate, 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => objective.Estimate(c.Model, guide.Run, 1, 0, new RandomStream(5)));
        Assert.Null(objective.SaveState());
    }
}
