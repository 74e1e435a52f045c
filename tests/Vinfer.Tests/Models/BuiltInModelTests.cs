using Vinfer.Data;
using Vinfer.Inference;
using Vinfer.Models;
using Vinfer.Modeling;

namespace Vinfer.Tests.Models;

public class BuiltInModelTests
{
    [Fact]
    public void RegistryFindsEveryBuiltInModel()
    {
        foreach (var name in new[] { "eight_schools", "eight_schools_centered", "linear_regression", "logistic_regression", "poisson_regression" })
            Assert.True(ModelRegistry.TryGet(name, out _), name);
        Assert.Contains("eight_schools", Assert.Throws<ArgumentException>(() => ModelRegistry.Get("nope")).Message);
    }

    [Fact]
    public void EightSchoolsLatentsFollowStanNames()
    {
        var model = ModelRegistry.Get("eight_schools").Bind(EightSchools.ClassicData);
        var proto = ModelPrototype.Capture(model);
        Assert.Equal(["mu", "tau", "theta_trans"], proto.Latents.Select(l => l.Name));
        Assert.Equal(1, proto.MaxPlateNesting);
        Assert.Equal(["theta[1]", "theta[2]"], StanNames.Expand("theta", [8]).Take(2));
    }

    [Fact]
    public void EightSchoolsFitsWithinSecondsAndReportsKHat()
    {
        var model = ModelRegistry.Get("eight_schools").Bind(EightSchools.ClassicData);
        var fit = VariationalFit.Fit(model, new FitOptions { Seed = 1 });
        Assert.Contains("theta[8]", fit.Draws.Names);
        Assert.Contains("theta_trans[1]", fit.Draws.Names);
        Assert.True(double.IsFinite(fit.KHat));
        var mu = fit.Summary.Single(s => s.Name == "mu");
        var tau = fit.Summary.Single(s => s.Name == "tau");
        // Reference (posteriordb, NUTS): mu mean 4.4, sd 3.3; tau mean 3.6, sd 3.2. Mean-field is close for mu.
        Assert.InRange(mu.Mean, 4.4 - 0.5 * 3.3, 4.4 + 0.5 * 3.3);
        Assert.True(tau.Q5 > 0);
        Assert.True(fit.Seconds < 10, $"took {fit.Seconds} s");
    }

    [Fact]
    public void MissingOrMalformedFieldsAreNamed()
    {
        var m = ModelRegistry.Get("eight_schools");
        var missing = StanData.FromValues([new("J", 2), new("y", new[] { 1.0, 2.0 })]);
        Assert.Contains("'sigma'", Assert.Throws<DataFormatException>(() => m.Bind(missing)).Message);
        var wrong = StanData.FromValues([new("J", 3), new("y", new[] { 1.0, 2.0 }), new("sigma", new[] { 1.0, 1.0, 1.0 })]);
        Assert.Contains("'y'", Assert.Throws<DataFormatException>(() => m.Bind(wrong)).Message);
        var negative = StanData.FromValues([new("J", 2), new("y", new[] { 1.0, 2.0 }), new("sigma", new[] { 1.0, -1.0 })]);
        Assert.Contains("'sigma'", Assert.Throws<DataFormatException>(() => m.Bind(negative)).Message);
        var logistic = StanData.FromValues([new("N", 2), new("D", 1), new("X", new double[,] { { 1 }, { 2 } }), new("y", new[] { 0.0, 2.0 })]);
        Assert.Contains("'y'", Assert.Throws<DataFormatException>(() => ModelRegistry.Get("logistic_regression").Bind(logistic)).Message);
    }
}
