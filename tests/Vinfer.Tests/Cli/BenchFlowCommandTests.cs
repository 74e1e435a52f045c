using System.CommandLine;
using System.Text.Json.Nodes;
using Vinfer.Cli;

namespace Vinfer.Tests.Cli;

/// <summary><c>vinfer bench flow</c>: bad settings are one error line; a tiny run prints one JSON line whose summary fields agree with its per-coordinate arrays.</summary>
public class BenchFlowCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => Vinfer.Tests.Cli.InProcessCli.Run(args);

    [Theory]
    [InlineData("--steps", "0", "--steps must be at least 1, got 0")]
    [InlineData("--hidden", "-3", "--hidden must be at least 1, got -3")]
    [InlineData("--objective", "cubo", "--objective must be elbo, iwae or renyi, got 'cubo'")]
    public void BadSettingsAreOneErrorWithoutOutput(string option, string value, string message)
    {
        var (code, stdout, stderr) = Run("bench", "flow", option, value);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains(message, stderr);
    }

    [Fact]
    public void ATinyRunPrintsOneConsistentJsonLine()
    {
        var (code, stdout, stderr) = Run("bench", "flow", "--steps", "30", "--draws", "400", "--objective", "iwae", "--particles", "4");
        Assert.True(code == 0, stderr);
        var line = JsonNode.Parse(stdout.Trim())!;
        var ratios = line["sd_ratio"]!.AsArray().Select(r => (double)r!).ToArray();
        var errors = line["mean_error_sd"]!.AsArray().Select(r => (double)r!).ToArray();
        Assert.Equal(10, ratios.Length);
        Assert.Equal(10, errors.Length);
        Assert.Equal(ratios.Min(), (double)line["sd_ratio_min"]!, 3);
        Assert.Equal(errors.Max(), (double)line["max_mean_error_sd"]!, 3);
        Assert.Equal("iwae", (string?)line["objective"]);
        Assert.True((double)line["ms_per_step"]! > 0);
    }
}
