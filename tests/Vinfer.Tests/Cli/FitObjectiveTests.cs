using System.CommandLine;
using System.Text.Json.Nodes;
using Vinfer.Cli;

namespace Vinfer.Tests.Cli;

/// <summary><c>vinfer fit --objective … --estimator …</c>: the importance-weighted objectives from the command line.</summary>
public class FitObjectiveTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"vinfer-fitobj-{Guid.NewGuid():N}");

    public FitObjectiveTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args) => Vinfer.Tests.Cli.InProcessCli.Run(args);

    [Fact]
    public void IwaeOnTheBundledLogisticRegressionReportsTheEvidenceBracketAndResampledDraws()
    {
        var outDir = Path.Combine(_dir, "iwae");
        var (code, stdout, stderr) = Run("fit", "logistic_regression", "--objective", "iwae", "--importance-samples", "16", "--out", outDir, "--draws", "200");
        Assert.True(code == 0, stderr);
        Assert.Contains("IWAE(K=16)", stdout);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!;
        Assert.Equal("iwae", (string?)summary["objective"]!["name"]);
        Assert.Equal("dreg", (string?)summary["objective"]!["estimator"]);
        Assert.Equal(16, (int)summary["objective"]!["importance_samples"]!);
        var evidence = summary["log_evidence"]!;
        double elbo = (double)evidence["elbo"]!, iwae = (double)evidence["iwae"]!["value"]!, cubo = (double)evidence["cubo"]!;
        Assert.Equal(16, (int)evidence["iwae"]!["k"]!);
        Assert.True(elbo < iwae && iwae < cubo, $"ELBO {elbo}, IWAE {iwae}, CUBO {cubo}");
        Assert.StartsWith("importance-resampled", (string?)summary["draws_method"]);
        Assert.Equal(200, (int)summary["draws"]!);
    }

    [Theory]
    [InlineData("renyi", "0.5", "dreg")]
    [InlineData("renyi", "-0.5", "reparam")]
    [InlineData("vr-iwae", "0.2", "dreg")]
    [InlineData("cubo", null, "reparam")]
    [InlineData("iwae", null, "score")]
    [InlineData("elbo", null, "reparam")]
    public void EveryObjectiveAndEstimatorFitsEightSchools(string objective, string? alpha, string estimator)
    {
        var outDir = Path.Combine(_dir, objective + estimator);
        var args = new List<string> { "fit", "eight_schools", "--objective", objective, "--estimator", estimator, "--steps", "200", "--draws", "100", "--out", outDir };
        if (alpha is not null) args.AddRange(["--alpha", alpha]);
        var (code, _, stderr) = Run([.. args]);
        Assert.True(code == 0, stderr);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!;
        Assert.Equal(objective, (string?)summary["objective"]!["name"]);
        Assert.Equal(estimator, (string?)summary["objective"]!["estimator"]);
        Assert.NotNull(summary["log_evidence"]!["cubo"]);
        // Lower bounds with K > 1 report importance-resampled draws; the ELBO and upper bounds plain guide draws.
        bool resampled = objective is "iwae" or "vr-iwae" || (objective == "renyi" && alpha != "-0.5");
        Assert.Equal(resampled, ((string?)summary["draws_method"])!.StartsWith("importance-resampled", StringComparison.Ordinal));
        // resampled draws' moments are labelled as such, not as the guide's
        if (resampled) Assert.Equal("resampled", (string?)summary["moments"]);
        else Assert.Contains((string?)summary["moments"], new[] { "guide", "psis" });
    }

    [Fact]
    public void VrIwaeWithAlphaOneIsAcceptedWithANote()
    {
        var (code, _, stderr) = Run("fit", "eight_schools", "--objective", "vr-iwae", "--alpha", "1", "--steps", "100", "--draws", "50");
        Assert.Equal(0, code);
        Assert.Contains("is the ELBO", stderr);
    }

    [Theory]
    [InlineData(new[] { "--objective", "renyi", "--alpha", "NaN" }, "--alpha")]
    [InlineData(new[] { "--objective", "renyi", "--alpha", "Infinity" }, "--alpha")]
    [InlineData(new[] { "--objective", "iwae", "--importance-samples", "0" }, "--importance-samples")]
    [InlineData(new[] { "--objective", "banana" }, "--objective 'banana'")]
    [InlineData(new[] { "--objective", "iwae", "--estimator", "magic" }, "--estimator 'magic'")]
    [InlineData(new[] { "--objective", "vr-iwae", "--alpha", "1.5" }, "--alpha")]
    [InlineData(new[] { "--objective", "iwae", "--family", "map" }, "--family map")]
    [InlineData(new[] { "--objective", "iwae", "--alpha", "0.3" }, "--alpha")]
    public void BadObjectiveSettingsGiveOneErrorLineAndNoOutput(string[] settings, string named)
    {
        var outDir = Path.Combine(_dir, "bad");
        var (code, stdout, stderr) = Run(["fit", "eight_schools", "--steps", "50", "--out", outDir, .. settings]);
        Assert.NotEqual(0, code);
        Assert.Contains(named, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Equal("", stdout);
        Assert.False(Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any());
    }
}
