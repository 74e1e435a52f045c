using System.Globalization;
using System.Text.Json.Nodes;

namespace Vinfer.Tests.Cli;

/// <summary><c>vinfer fit MODEL --decenter SITES</c> and <c>--family svgd --kernel rbf|imq</c>, and their bad input.</summary>
public class DecenterCliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"vinfer-decenter-{Guid.NewGuid():N}");

    public DecenterCliTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args) => InProcessCli.Run(args);

    private static (string[] Header, List<double[]> Rows) ReadDraws(string path)
    {
        var lines = File.ReadAllLines(path).Where(l => !l.StartsWith('#')).ToList();
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
        return (header, rows);
    }

    [Fact]
    public void ADecentredFunnelIsFittedInUnitScalesAndReportsTheCentredSites()
    {
        // with x decentred the funnel is v ~ N(0, 3²) and x_decentered ~ N(0, 1) independently: a mean-field Gaussian is exact
        var outDir = Path.Combine(_dir, "funnel");
        var (code, _, stderr) = Run("fit", "funnel", "--family", "meanfield", "--decenter", "x", "--draws", "2000", "--seed", "3", "--out", outDir);
        Assert.True(code == 0, stderr);
        var (header, rows) = ReadDraws(Path.Combine(outDir, "draws.csv"));
        int v = Array.IndexOf(header, "v"), x1 = Array.IndexOf(header, "x.1"), z1 = Array.IndexOf(header, "x_decentered.1");
        Assert.True(v >= 0 && x1 >= 0 && z1 >= 0, string.Join(",", header));
        // every reported x is the deterministic map of its own draw
        foreach (var r in rows.Skip(1)) Assert.Equal(Math.Exp(r[v] / 2) * r[z1], r[x1], 9);
        var p = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!["parameters"]!;
        // 2,000 draws: the mean's standard error is sd/√2000 (0.067 for v, 0.022 for z), the sd's about 1.6 %; 4 se, 10 % on sds
        Assert.InRange((double)p["v"]!["mean"]!, -0.27, 0.27);
        Assert.InRange((double)p["v"]!["sd"]! / 3, 0.9, 1.1);
        for (int i = 1; i <= 9; i++)
        {
            Assert.InRange((double)p[$"x_decentered[{i}]"]!["mean"]!, -0.09, 0.09);
            Assert.InRange((double)p[$"x_decentered[{i}]"]!["sd"]!, 0.9, 1.1);
        }
        Assert.Contains("x.9", header);
    }

    [Fact]
    public void SvgdTakesTheImqKernelAndRecordsIt()
    {
        var outDir = Path.Combine(_dir, "imq");
        var (code, _, stderr) = Run("fit", "eight_schools_centered", "--family", "svgd", "--kernel", "imq", "--decenter", "theta", "--particles", "10", "--steps", "30", "--out", outDir);
        Assert.True(code == 0, stderr);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!;
        Assert.Equal("imq", (string?)summary["settings"]!["kernel"]);
        Assert.NotNull(summary["parameters"]!["theta[1]"]);
        Assert.NotNull(summary["parameters"]!["theta_decentered[1]"]);
    }

    [Theory]
    [InlineData(new[] { "fit", "eight_schools_centered", "--decenter", "phi" }, "--decenter: the model has no latent site 'phi' (its latent sites: mu, tau, theta)")]
    [InlineData(new[] { "fit", "eight_schools_centered", "--decenter", "theta,tau" }, "--decenter: site 'tau' has a HalfCauchy distribution, not a location-scale family")]
    [InlineData(new[] { "fit", "eight_schools_centered", "--decenter", "y" }, "--decenter: site 'y' is observed")]
    [InlineData(new[] { "fit", "eight_schools_centered", "--decenter", "theta,,mu" }, "--decenter is 'theta,,mu': expected comma-separated site names, got an empty name")]
    [InlineData(new[] { "fit", "eight_schools_centered", "--decenter", "theta,theta" }, "--decenter is 'theta,theta': a site is named twice")]
    [InlineData(new[] { "fit", "eight_schools_centered", "--decenter", "theta", "--method", "pathfinder" }, "--decenter applies only to --method advi")]
    [InlineData(new[] { "fit", "eight_schools_centered", "--family", "svgd", "--kernel", "gaussian" }, "--kernel is 'gaussian', expected rbf or imq")]
    [InlineData(new[] { "fit", "eight_schools_centered", "--family", "meanfield", "--kernel", "imq" }, "--kernel imq applies only to --family svgd")]
    public void BadInputGivesOneErrorLineAndNoOutput(string[] args, string named)
    {
        var outDir = Path.Combine(_dir, "bad");
        var (code, stdout, stderr) = Run([.. args, "--out", outDir]);
        Assert.NotEqual(0, code);
        Assert.Contains(named, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Equal("", stdout);
        Assert.False(Directory.Exists(outDir));
    }
}
