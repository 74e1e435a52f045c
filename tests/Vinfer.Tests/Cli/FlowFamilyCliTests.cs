using System.CommandLine;
using System.Text.Json.Nodes;
using Vinfer.Cli;

namespace Vinfer.Tests.Cli;

/// <summary><c>vinfer fit MODEL --family flow|iaf|planar|svgd</c> on the bundled data, and its bad input.</summary>
public class FlowFamilyCliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"vinfer-flow-{Guid.NewGuid():N}");

    public FlowFamilyCliTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args) => Vinfer.Tests.Cli.InProcessCli.Run(args);

    [Theory]
    [InlineData("iaf")]
    [InlineData("flow")]
    [InlineData("planar")]
    [InlineData("nsf")]
    public void AFlowFamilyFitsTheCentredEightSchoolsAndReportsKHat(string family)
    {
        var outDir = Path.Combine(_dir, family);
        var (code, stdout, stderr) = Run("fit", "eight_schools_centered", "--family", family, "--steps", "200", "--draws", "200", "--out", outDir, "--flow-layers", "2", "--hidden", "16");
        Assert.True(code == 0, stderr);
        Assert.Contains("k̂ = ", stdout);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!;
        Assert.Equal(family, (string?)summary["family"]);
        Assert.NotNull(summary["k_hat"]);
        Assert.Equal(202, File.ReadAllLines(Path.Combine(outDir, "draws.csv")).Count(l => !l.StartsWith('#')));
    }

    [Fact]
    public void SvgdParticlesAreTheDrawsAndKHatDoesNotApply() // draws.csv: header, the mean row (as CmdStan), then the draws
    {
        var outDir = Path.Combine(_dir, "svgd");
        var (code, stdout, stderr) = Run("fit", "eight_schools_centered", "--family", "svgd", "--particles", "20", "--steps", "50", "--out", outDir);
        Assert.True(code == 0, stderr);
        Assert.Contains("not applicable: SVGD's particles", stdout);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!;
        Assert.Null(summary["k_hat"]);
        Assert.Equal(20, (int)summary["draws"]!);
        Assert.StartsWith("not applicable", (string?)summary["k_hat_reading"]);
        Assert.Equal(22, File.ReadAllLines(Path.Combine(outDir, "draws.csv")).Count(l => !l.StartsWith('#')));
    }

    [Theory]
    [InlineData(new[] { "fit", "eight_schools_centered", "--family", "realnvp" }, "--family 'realnvp' is not one of")]
    [InlineData(new[] { "fit", "eight_schools_centered", "--family", "iaf", "--hidden", "0" }, "--hidden is '0'")]
    [InlineData(new[] { "fit", "eight_schools_centered", "--family", "flow", "--hidden", "16,-2" }, "got '-2'")]
    [InlineData(new[] { "fit", "eight_schools_centered", "--family", "iaf", "--hidden", "16,x" }, "got 'x'")]
    [InlineData(new[] { "fit", "eight_schools_centered", "--family", "iaf", "--flow-layers", "0" }, "--flow-layers is 0")]
    [InlineData(new[] { "fit", "eight_schools_centered", "--family", "svgd", "--particles", "1" }, "SVGD needs at least 2 particles")]
    [InlineData(new[] { "fit", "eight_schools_centered", "--family", "svgd", "--anneal", "-3" }, "--anneal is -3")]
    [InlineData(new[] { "fit", "eight_schools_centered", "--family", "iaf", "--anneal", "100" }, "--anneal 100 applies only to --family svgd")]
    // DReG re-scores draws with detached parameters, which a flow cannot do (found while fitting the funnel, docs/flows.md)
    [InlineData(new[] { "fit", "eight_schools_centered", "--family", "iaf", "--objective", "iwae" }, "the dreg estimator re-scores draws with detached guide parameters, which the iaf family cannot do")]
    [InlineData(new[] { "fit", "eight_schools_centered", "--family", "flow", "--objective", "renyi", "--estimator", "stl" }, "use the reparam estimator (--estimator reparam)")]
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
