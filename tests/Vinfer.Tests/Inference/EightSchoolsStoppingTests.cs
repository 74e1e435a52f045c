using Vinfer.Guides;
using Vinfer.Inference;
using Xunit.Abstractions;

namespace Vinfer.Tests.Inference;

/// <summary>
/// Stan's rule on eight schools' full-rank fit from Pathfinder's start, with common random numbers for the checks
/// (FitLoop): the trace is flat from the first block, so the rule stops at its first chance, the third check (the
/// first relative change is 1 and the median of three needs two small ones). With fresh draws per check the 100-draw
/// estimates' own noise (about 0.3 nats, a relative change near the tolerance 0.01) kept seed 1 running to 700 steps.
/// </summary>
public sealed class EightSchoolsStoppingTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void FullRankFromPathfinderStopsAtTheRulesFirstChance(ulong seed)
    {
        var model = new Vinfer.Models.EightSchools().Bind(Vinfer.Models.EightSchools.ClassicData);
        var fit = VariationalFit.Fit(model, new FitOptions { Family = VariationalFamilies.FullRank, Seed = seed, Draws = 100 });
        output.WriteLine($"seed {seed}: {fit.Run.Steps} steps, checks {string.Join(", ", fit.Run.ElboEvaluations.Select(e => e.Elbo.ToString("F3")))}");
        Assert.True(fit.Run.Converged);
        Assert.Equal(300, fit.Run.Steps);
    }
}
