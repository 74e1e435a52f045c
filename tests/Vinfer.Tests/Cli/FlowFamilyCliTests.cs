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

    [Fact]
    public void SummaryRecordsTheFlowSettingsThatProducedTheFitAndTheClampReachesTheGuide()
    {
        var outDir = Path.Combine(_dir, "iaf-clamp");
        var (code, _, stderr) = Run("fit", "eight_schools_centered", "--family", "iaf", "--steps", "50", "--draws", "50", "--out", outDir,
            "--flow-layers", "3", "--hidden", "16,8", "--max-log-scale", "6.5", "--base-df", "7");
        Assert.True(code == 0, stderr);
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!["settings"]!;
        Assert.Equal("iaf", (string?)settings["family"]);
        Assert.Equal(3, (int)settings["flow_layers"]!);
        Assert.Equal([16, 8], settings["hidden"]!.AsArray().Select(h => (int)h!));
        Assert.Equal(6.5, (double)settings["max_log_scale"]!);
        Assert.Equal("student_t", (string?)settings["base"]!["distribution"]);
        Assert.Equal(7.0, (double)settings["base"]!["initial_df"]!);
        // the saved guide carries the clamp and the base into its layers, not only the summary
        var loaded = Vinfer.Guides.GuideFile.Load(Path.Combine(outDir, "approximation.json"));
        var flow = Assert.IsAssignableFrom<Vinfer.Guides.AutoNormalizingFlow>(loaded.Guide);
        Assert.Equal(7.0, flow.BaseDegreesOfFreedom);
        Assert.All(flow.Modules.OfType<Vinfer.Flows.AffineAutoregressiveModule>(), m => Assert.Equal(6.5, m.MaximumLogScale));
    }

    [Fact]
    public void SummaryRecordsTheDefaultsOfAFlowAndTheAnnealingOfSvgd()
    {
        var iafDir = Path.Combine(_dir, "iaf-default");
        var (code, _, stderr) = Run("fit", "eight_schools_centered", "--family", "nsf", "--steps", "50", "--draws", "50", "--out", iafDir);
        Assert.True(code == 0, stderr);
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(iafDir, "summary.json")))!["settings"]!;
        Assert.Equal(4, (int)settings["flow_layers"]!);
        Assert.Equal([Math.Max(3 * 10 + 3, 16)], settings["hidden"]!.AsArray().Select(h => (int)h!)); // d = 10 latents
        Assert.Null(settings["max_log_scale"]); // spline layers have no log-scale clamp
        Assert.Equal("normal", (string?)settings["base"]!["distribution"]);

        var svgdDir = Path.Combine(_dir, "svgd-annealed");
        (code, _, stderr) = Run("fit", "eight_schools_centered", "--family", "svgd", "--particles", "10", "--steps", "30", "--anneal", "20", "--out", svgdDir);
        Assert.True(code == 0, stderr);
        settings = JsonNode.Parse(File.ReadAllText(Path.Combine(svgdDir, "summary.json")))!["settings"]!;
        Assert.Equal(10, (int)settings["particles"]!);
        Assert.Equal(20, (int)settings["anneal"]!["steps"]!);
        Assert.Equal(1, (int)settings["anneal"]!["cycles"]!);

        var plainDir = Path.Combine(_dir, "svgd-plain");
        (code, _, stderr) = Run("fit", "eight_schools_centered", "--family", "svgd", "--particles", "10", "--steps", "30", "--out", plainDir);
        Assert.True(code == 0, stderr);
        settings = JsonNode.Parse(File.ReadAllText(Path.Combine(plainDir, "summary.json")))!["settings"]!;
        Assert.True(settings.AsObject().ContainsKey("anneal"));
        Assert.Null(settings["anneal"]);
    }

    [Theory]
    [InlineData(new[] { "fit", "eight_schools_centered", "--family", "realnvp" }, "--family 'realnvp' is not one of meanfield, fullrank")]
    // auto is a family too (escalation); the list before it can hold families other tests register in this process
    [InlineData(new[] { "fit", "eight_schools_centered", "--family", "realnvp" }, " or auto.")]
    [InlineData(new[] { "fit", "eight_schools_centered", "--family", "iaf", "--max-log-scale", "-5" }, "--max-log-scale is -5, expected a finite number above the minimum log-scale -5")]
    [InlineData(new[] { "fit", "eight_schools_centered", "--family", "iaf", "--max-log-scale", "NaN" }, "--max-log-scale is NaN")]
    [InlineData(new[] { "fit", "eight_schools_centered", "--family", "iaf", "--max-log-scale", "Infinity" }, "--max-log-scale is Infinity, expected a finite number")]
    [InlineData(new[] { "fit", "eight_schools_centered", "--family", "flow", "--max-log-scale", "6" }, "--max-log-scale 6 applies only to --family iaf")]
    [InlineData(new[] { "fit", "eight_schools_centered", "--family", "iaf", "--base-df", "0" }, "--base-df is 0, expected a finite number of degrees of freedom above 0")]
    [InlineData(new[] { "fit", "eight_schools_centered", "--family", "meanfield", "--base-df", "5" }, "--base-df 5 applies only to the flow families")]
    [InlineData(new[] { "fit", "eight_schools_centered", "--family", "iaf", "--hidden", "0" }, "--hidden is '0'")]
    [InlineData(new[] { "fit", "eight_schools_centered", "--family", "flow", "--hidden", "16,-2" }, "got '-2'")]
    [InlineData(new[] { "fit", "eight_schools_centered", "--family", "iaf", "--hidden", "16,x" }, "got 'x'")]
    [InlineData(new[] { "fit", "eight_schools_centered", "--family", "iaf", "--flow-layers", "0" }, "--flow-layers is 0")]
    [InlineData(new[] { "fit", "eight_schools_centered", "--family", "svgd", "--particles", "1" }, "SVGD needs at least 2 particles")]
    [InlineData(new[] { "fit", "eight_schools_centered", "--family", "svgd", "--anneal", "-3" }, "--anneal is -3")]
    [InlineData(new[] { "fit", "eight_schools_centered", "--family", "iaf", "--anneal", "100" }, "--anneal 100 applies only to --family svgd")]
    // DReG re-scores draws with detached parameters through the flow's inverse, which a planar flow does not have (docs/flows.md)
    [InlineData(new[] { "fit", "eight_schools_centered", "--family", "planar", "--objective", "iwae" }, "the dreg estimator re-scores draws with detached guide parameters, which the planar family cannot do: its PlanarFlow layers have no differentiable inverse")]
    [InlineData(new[] { "fit", "eight_schools_centered", "--family", "planar", "--objective", "renyi", "--estimator", "stl" }, "use the reparam estimator (--estimator reparam)")]
    public void BadInputGivesOneErrorLineAndNoOutput(string[] args, string named)
    {
        var outDir = Path.Combine(_dir, "bad");
        var (code, stdout, stderr) = Run([.. args, "--out", outDir]);
        Assert.NotEqual(0, code);
        Assert.Contains(named, stderr);
        Assert.DoesNotContain("(Parameter '", stderr, StringComparison.Ordinal); // a C# parameter name means nothing to the user
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Equal("", stdout);
        Assert.False(Directory.Exists(outDir));
    }
}
