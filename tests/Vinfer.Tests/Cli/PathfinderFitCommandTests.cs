using System.Text.Json.Nodes;

namespace Vinfer.Tests.Cli;

/// <summary><c>vinfer fit MODEL --method pathfinder</c> and <c>--init</c>: outputs like other fits, one error line for bad input.</summary>
public class PathfinderFitCommandTests : CliTestFolder
{
    [Fact]
    public void PathfinderWritesDrawsAndSummaryLikeAnyFit()
    {
        string dir = Path.Combine(Folder, "pf");
        var (code, stdout, stderr) = Run("fit", "eight_schools", "--method", "pathfinder", "--paths", "2", "--draws", "200", "--out", dir);
        Assert.True(code == 0, stderr);
        Assert.Contains("pathfinder (2 paths)", stdout);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")))!;
        Assert.Equal("pathfinder", (string?)summary["method"]);
        Assert.Equal(200, (int)summary["draws"]!);
        Assert.Equal(2, summary["pathfinder"]!["paths"]!.AsArray().Count);
        Assert.True((long)summary["pathfinder"]!["gradient_evaluations"]! > 0);
        Assert.StartsWith("PSIS-resampled", (string?)summary["draws_method"]);
        Assert.Equal("resampled", (string?)summary["moments"]);
        var lines = File.ReadAllLines(Path.Combine(dir, "draws.csv")).Where(l => !l.StartsWith('#')).ToList();
        Assert.Equal(1 + 1 + 200, lines.Count); // header, the mean row, the draws (CmdStan's variational layout)
    }

    [Theory]
    [InlineData("--paths is 0, expected at least 1", "--method", "pathfinder", "--paths", "0")]
    [InlineData("--steps does not apply to --method pathfinder", "--method", "pathfinder", "--steps", "10")]
    [InlineData("--paths applies only to --method pathfinder", "--paths", "3")]
    [InlineData("--init 'middle' is not one of pathfinder, origin", "--init", "middle")]
    public void BadInputIsOneErrorAndNothingWritten(string message, params string[] extra)
    {
        string dir = Path.Combine(Folder, "bad");
        var (code, _, stderr) = Run(["fit", "eight_schools", "--out", dir, .. extra]);
        Assert.NotEqual(0, code);
        Assert.Contains(message, stderr);
        Assert.False(Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any());
    }

    [Fact]
    public void APathfinderFitThatKHatRejectsFailsWithFailOnKHat()
    {
        // centred eight schools: Pathfinder's normal cannot fit the funnel, k̂ > 0.7
        string dir = Path.Combine(Folder, "pf-khat");
        var (code, _, stderr) = Run("fit", "eight_schools", "--method", "pathfinder", "--paths", "2", "--draws", "200", "--out", dir, "--fail-on-khat");
        Assert.Equal(3, code);
        Assert.Contains("unreliable", stderr);
    }

    [Fact]
    public void AdviRecordsItsPathfinderStart()
    {
        string dir = Path.Combine(Folder, "advi");
        var (code, stdout, stderr) = Run("fit", "eight_schools", "--family", "fullrank", "--steps", "200", "--draws", "100", "--out", dir);
        Assert.True(code == 0, stderr);
        Assert.Contains("start: Pathfinder (4 of 4 paths", stdout);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")))!;
        Assert.Equal("advi", (string?)summary["method"]);
        Assert.StartsWith("initialization", (string?)summary["pathfinder"]!["role"]);
        string origin = Path.Combine(Folder, "origin");
        (code, _, stderr) = Run("fit", "eight_schools", "--family", "fullrank", "--steps", "200", "--draws", "100", "--init", "origin", "--out", origin);
        Assert.True(code == 0, stderr);
        Assert.Null(JsonNode.Parse(File.ReadAllText(Path.Combine(origin, "summary.json")))!["pathfinder"]);
    }
}
