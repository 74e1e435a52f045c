using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Vinfer.Cli;

namespace Vinfer.Tests.Cli;

/// <summary><c>vinfer fit MODEL --method alpha-moments</c>: outputs like other fits, and one error line for bad input.</summary>
public class AlphaMomentsFitCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"vinfer-alpha-{Guid.NewGuid():N}");

    public AlphaMomentsFitCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args) => Vinfer.Tests.Cli.InProcessCli.Run(args);

    private string LogisticCsv()
    {
        var rows = new List<string> { "x1,x2,y" };
        var rng = new System.Random(5);
        for (int i = 0; i < 200; i++)
        {
            double x1 = rng.NextDouble() * 2 - 1, x2 = rng.NextDouble() * 2 - 1;
            double p = 1 / (1 + Math.Exp(-(0.5 + 1.5 * x1 - x2)));
            rows.Add(string.Create(CultureInfo.InvariantCulture, $"{x1},{x2},{(rng.NextDouble() < p ? 1 : 0)}"));
        }
        var path = Path.Combine(_dir, "logistic.csv");
        File.WriteAllText(path, string.Join('\n', rows) + "\n");
        return path;
    }

    [Fact]
    public void EightSchoolsWritesSummaryAndDrawsWithTheMethodsSettings()
    {
        var outDir = Path.Combine(_dir, "out");
        var (code, stdout, stderr) = Run("fit", "eight_schools", "--method", "alpha-moments", "--alpha", "0.3", "--samples", "64",
            "--steps", "60", "--average-steps", "20", "--draws", "200", "--out", outDir);
        Assert.True(code == 0, stderr);
        Assert.Contains("alpha-moments (alpha 0.3", stdout);
        Assert.Contains("theta[8]", stdout);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!;
        Assert.Equal("alpha-moments", (string?)summary["method"]);
        Assert.Equal("meanfield", (string?)summary["family"]);
        Assert.Equal(60, (int)summary["steps"]!);
        Assert.Equal(0.3, (double)summary["alpha_moments"]!["alpha"]!);
        Assert.Equal(64, (int)summary["alpha_moments"]!["samples"]!);
        Assert.InRange((double)summary["alpha_moments"]!["effective_sample_size"]!, 1, 64);
        var lines = File.ReadAllLines(Path.Combine(outDir, "draws.csv"));
        Assert.Contains(lines, l => l.Contains("alpha-moments (meanfield)"));
        Assert.Equal(1 + 1 + 200, lines.Count(l => !l.StartsWith('#')));
    }

    [Fact]
    public void LogisticRegressionFullRankFromCsv()
    {
        var (code, stdout, stderr) = Run("fit", "logistic_regression", "--data", LogisticCsv(), "--method", "alpha-moments", "--alpha", "0.5",
            "--family", "fullrank", "--steps", "60", "--average-steps", "20", "--draws", "100");
        Assert.True(code == 0, stderr);
        Assert.Contains("logistic_regression, fullrank, alpha-moments", stdout);
        Assert.Contains("beta[2]", stdout);
    }

    [Fact]
    public void AdviIsStillTheDefaultAndSaysSo()
    {
        var outDir = Path.Combine(_dir, "advi");
        var (code, _, stderr) = Run("fit", "eight_schools", "--steps", "100", "--draws", "100", "--out", outDir);
        Assert.True(code == 0, stderr);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!;
        Assert.Equal("advi", (string?)summary["method"]);
        Assert.Null(summary["alpha_moments"]);
    }

    [Theory]
    [InlineData("--alpha", "NaN", "--alpha")]
    [InlineData("--alpha", "Infinity", "--alpha")]
    [InlineData("--alpha", "1", "--alpha")]
    [InlineData("--alpha", "-0.5", "--alpha")]
    [InlineData("--samples", "1", "--samples")]
    [InlineData("--damping", "0", "--damping")]
    [InlineData("--damping", "1.5", "--damping")]
    [InlineData("--family", "lowrank", "--family")]
    [InlineData("--particles", "8", "--particles")]
    public void BadAlphaMomentsSettingsGiveOneErrorLineAndNoOutput(string option, string value, string named)
    {
        var outDir = Path.Combine(_dir, "bad");
        var (code, stdout, stderr) = Run("fit", "eight_schools", "--method", "alpha-moments", option, value, "--steps", "5", "--out", outDir);
        Assert.NotEqual(0, code);
        Assert.Contains(named, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Equal("", stdout);
        Assert.False(Directory.Exists(outDir));
    }

    [Theory]
    [InlineData(new[] { "fit", "eight_schools", "--method", "em" }, "applies only to the ar1 model")]
    [InlineData(new[] { "fit", "eight_schools", "--method", "banana" }, "--method 'banana'")]
    [InlineData(new[] { "fit", "eight_schools", "--alpha", "0.5" }, "--alpha applies only to --method alpha-moments")]
    public void MethodsThatDoNotApplyAreNamed(string[] args, string message)
    {
        var (code, stdout, stderr) = Run(args);
        Assert.NotEqual(0, code);
        Assert.Contains(message, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Equal("", stdout);
    }

    [Fact]
    public void Ar1RejectsAlphaMomentsAndKeepsItsOwnMethods()
    {
        var data = Path.Combine(_dir, "series.csv");
        File.WriteAllText(data, "0.1\n0.5\n0.2\n0.9\n0.4\n0.7\n0.3\n0.8\n");
        var (code, _, stderr) = Run("fit", "ar1", "--data", data, "--method", "alpha-moments");
        Assert.NotEqual(0, code);
        Assert.Contains("does not apply to the ar1 model", stderr);
        Assert.Single(stderr.Trim().Split('\n'));
        (code, _, stderr) = Run("fit", "ar1", "--data", data, "--method", "vem", "--max-iterations", "50");
        Assert.True(code == 0, stderr);
    }
}
