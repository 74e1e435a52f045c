using System.Text.Json.Nodes;

namespace Vinfer.Tests.Cli;

/// <summary><c>vinfer bench fit</c>: the same fit command line run several times in one process.</summary>
public class BenchFitTests : CliTestFolder
{
    [Fact]
    public void RunsTheFitRepeatedlyAndPrintsOneLinePerRun()
    {
        var outDir = Path.Combine(Folder, "out");
        var (code, stdout, stderr) = Run("bench", "fit", "--repeats", "2", "--", "fit", "eight_schools", "--steps", "60", "--average-steps", "10", "--draws", "50", "--out", outDir);
        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToArray();
        Assert.Equal([1, 2], lines.Select(l => (int)l["run"]!));
        Assert.All(lines, l => Assert.Equal(60, (int)l["steps"]!));
        Assert.All(lines, l => Assert.True((double)l["seconds"]! > 0 && (double)l["jit_seconds"]! >= 0));
        // the last run's summary.json is left in the output folder
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!;
        Assert.Equal((double)lines[1]["seconds"]!, (double)summary["seconds"]!);
    }

    [Theory]
    [InlineData("--repeats", "0", "--", "fit", "eight_schools", "--out", "x")]
    [InlineData("--repeats", "1", "--", "models")]
    [InlineData("--repeats", "1", "--", "fit", "eight_schools")]
    public void RefusesBadCommandLines(params string[] args)
    {
        var (code, _, stderr) = Run(["bench", "fit", .. args]);
        Assert.NotEqual(0, code);
        Assert.Contains("bench fit:", stderr);
    }
}
