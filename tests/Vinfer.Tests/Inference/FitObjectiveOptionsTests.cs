using Vinfer.Guides;
using Vinfer.Inference;
using Vinfer.Objectives;

namespace Vinfer.Tests.Inference;

/// <summary>The objective and the gradient estimator are options of <see cref="VariationalFit.Fit"/>.</summary>
public class FitObjectiveOptionsTests
{
    private static FitOptions Short => new() { Steps = 200, Tolerance = null, Draws = 100, AverageSteps = 20, Seed = 3 };

    [Fact]
    public void TheObjectiveFactoryGetsTheParticlesAndTheEstimator()
    {
        var c = new ConjugateNormal();
        var calls = new List<(int, GradientEstimator)>();
        IObjective Make(int particles, GradientEstimator estimator)
        {
            calls.Add((particles, estimator));
            return new Elbo(particles, estimator);
        }
        VariationalFit.Fit(c.Model, Short with { Objective = Make });
        VariationalFit.Fit(c.Model, Short with { Objective = Make, Particles = 5, Estimator = GradientEstimator.ScoreFunction });
        VariationalFit.Fit(c.Model, Short with { Objective = Make, Family = VariationalFamilies.Map, Particles = 5 });
        // defaults: 8 particles, sticking-the-landing; a point estimate gets one reparameterized particle
        Assert.Equal([(8, GradientEstimator.StickingTheLanding), (5, GradientEstimator.ScoreFunction), (1, GradientEstimator.Reparameterized)], calls);
    }

    [Fact]
    public void TheDefaultObjectiveIsTheStickingTheLandingElbo()
    {
        var c = new ConjugateNormal();
        var byDefault = VariationalFit.Fit(c.Model, Short);
        var explicitElbo = VariationalFit.Fit(c.Model, Short with { Objective = (p, e) => new Elbo(p, stickingTheLanding: true) });
        Assert.Equal(byDefault.Run.ElboTrace, explicitElbo.Run.ElboTrace);
        Assert.Equal(byDefault.Draws.Values, explicitElbo.Draws.Values);
        // and the old switch still selects the estimator
        Assert.Equal(GradientEstimator.Reparameterized, (Short with { StickingTheLanding = false }).Estimator);
        Assert.True(Short.StickingTheLanding);
    }

    [Fact]
    public void TheEstimatorChangesTheFit()
    {
        var c = new ConjugateNormal();
        var stl = VariationalFit.Fit(c.Model, Short);
        var reparameterized = VariationalFit.Fit(c.Model, Short with { Estimator = GradientEstimator.Reparameterized });
        var score = VariationalFit.Fit(c.Model, Short with { Estimator = GradientEstimator.ScoreFunction });
        Assert.NotEqual(stl.Run.ElboTrace, reparameterized.Run.ElboTrace);
        Assert.NotEqual(stl.Run.ElboTrace, score.Run.ElboTrace);
        Assert.NotEqual(reparameterized.Run.ElboTrace, score.Run.ElboTrace);
    }
}
