using System.Text.Json.Nodes;

namespace Vinfer.Tests.Cli;

/// <summary>
/// <c>--init 0 | R | FILE.json</c>, as Stan offers them. A MAP fit with a vanishing learning rate reports the point it
/// started from, so the start is read back exactly from summary.json.
/// </summary>
public class FitInitTests : CliTestFolder
{
    private (int Code, JsonNode? Parameters, string Err) StartOf(string init, string family = "map")
    {
        string dir = Path.Combine(Folder, $"fit-{Guid.NewGuid():N}");
        var (code, _, err) = Run("fit", "eight_schools", "--family", family, "--steps", "1", "--average-steps", "0", "--learning-rate", "1e-300",
            "--draws", "10", "--init", init, "--out", dir, "--quiet");
        if (code != 0) return (code, null, err);
        return (code, JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")))!["parameters"], err);
    }

    [Fact]
    public void AFileOfConstrainedValuesIsWhereTheFitStarts()
    {
        string file = Write("init.json", """{"mu": 1.5, "tau": 2.5, "theta_trans": [0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8]}""");
        var (code, p, err) = StartOf(file);
        Assert.True(code == 0, err);
        Assert.Equal(1.5, (double)p!["mu"]!["mean"]!, 12);
        Assert.Equal(2.5, (double)p["tau"]!["mean"]!, 12);
        Assert.Equal(-0.8, (double)p["theta_trans[8]"]!["mean"]!, 12);
    }

    [Fact]
    public void ZeroIsTheOriginOfTheUnconstrainedScale()
    {
        var (code, p, err) = StartOf("0");
        Assert.True(code == 0, err);
        Assert.Equal(0.0, (double)p!["mu"]!["mean"]!, 12);
        Assert.Equal(1.0, (double)p["tau"]!["mean"]!, 12); // tau = exp(0)
    }

    [Fact]
    public void ARadiusDrawsEachUnconstrainedValueFromUniformMinusRToR()
    {
        const double r = 0.5;
        var (code, p, err) = StartOf("0.5");
        Assert.True(code == 0, err);
        var mu = (double)p!["mu"]!["mean"]!;
        var logTau = Math.Log((double)p["tau"]!["mean"]!);
        Assert.InRange(mu, -r, r);
        Assert.InRange(logTau, -r, r);
        var thetas = Enumerable.Range(1, 8).Select(j => (double)p[$"theta_trans[{j}]"]!["mean"]!).ToArray();
        Assert.All(thetas, t => Assert.InRange(t, -r, r));
        Assert.True(thetas.Distinct().Count() == 8, "the draws differ");
    }

    [Fact]
    public void AGaussianFamilyFromAFileSkipsPathfinder()
    {
        string file = Write("init-mf.json", """{"mu": 1.5, "tau": 2.5, "theta_trans": [0, 0, 0, 0, 0, 0, 0, 0]}""");
        string dir = Path.Combine(Folder, "mf");
        var (code, stdout, err) = Run("fit", "eight_schools", "--steps", "200", "--draws", "100", "--init", file, "--out", dir, "--quiet");
        Assert.True(code == 0, err);
        Assert.DoesNotContain("start: Pathfinder", stdout);
        Assert.Null(JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")))!["pathfinder"]);
    }

    [Theory]
    [InlineData("""{"mu": 1.5, "theta_trans": [0, 0, 0, 0, 0, 0, 0, 0]}""", "parameter 'tau' is missing from")]
    [InlineData("""{"mu": 1.5, "tau": 2, "theta_trans": [[0, 0], [0, 0]]}""", "parameter 'theta_trans' has shape [2, 2]")]
    [InlineData("""{"mu": 1.5, "tau": 0, "theta_trans": [0, 0, 0, 0, 0, 0, 0, 0]}""", "parameter 'tau' in")]
    [InlineData("""{"mu": 1.5, "tau": -2, "theta_trans": [0, 0, 0, 0, 0, 0, 0, 0]}""", "parameter 'tau' = -2 in")]
    [InlineData("""{"mu": 1.5, "tau": 2, "theta_trans": [0, 0, 0, 0, 0, 0, 0, 0], "extra": 1}""", "'extra' in")]
    [InlineData("""{"mu": 1.5, "tau": 2, "theta_trans": [0, 0, 0, 0, 0 """, "init.json")]
    public void ABadFileIsOneErrorAndNothingWritten(string json, string message)
    {
        string file = Write("init.json", json);
        string dir = Path.Combine(Folder, "bad");
        var (code, _, err) = Run("fit", "eight_schools", "--init", file, "--out", dir);
        Assert.NotEqual(0, code);
        Assert.Contains(message, err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any());
    }

    [Theory]
    [InlineData("-1", "--init is -1: a number must be 0 or a finite positive radius")]
    [InlineData("missing.json", "--init file 'missing.json' does not exist")]
    [InlineData("middle", "--init 'middle' is not one of pathfinder, origin, 0, a radius R > 0 or a JSON file")]
    public void ABadValueIsOneError(string init, string message)
    {
        var (code, _, err) = Run("fit", "eight_schools", "--init", init, "--out", Path.Combine(Folder, "x"));
        Assert.NotEqual(0, code);
        Assert.Contains(message, err);
    }

    [Fact]
    public void SvgdRefusesInitialValues()
    {
        string file = Write("init-svgd.json", """{"mu": 1.5, "tau": 2.5, "theta_trans": [0, 0, 0, 0, 0, 0, 0, 0]}""");
        var (code, _, err) = Run("fit", "eight_schools", "--family", "svgd", "--steps", "5", "--init", file, "--out", Path.Combine(Folder, "svgd"));
        Assert.NotEqual(0, code);
        Assert.Contains("initial values do not apply to the svgd family", err);
    }
}
