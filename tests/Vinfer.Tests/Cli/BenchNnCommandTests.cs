using System.CommandLine;
using Vinfer.Cli;

namespace Vinfer.Tests.Cli;

public class BenchNnCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => Vinfer.Tests.Cli.InProcessCli.Run(args);

    [Fact]
    public void UnknownWorkloadAndBadRoundsAreRejectedWithoutOutput()
    {
        var (code, stdout, stderr) = Run("bench", "nn", "--only", "lstm_step");
        Assert.NotEqual(0, code);
        Assert.Equal("", stdout);
        Assert.Contains("unknown workload 'lstm_step'; expected one of mlp_step, vae_step, conv_step, sab_step", stderr);
        var bad = Run("bench", "nn", "--rounds", "0");
        Assert.NotEqual(0, bad.Code);
        Assert.Contains("--rounds must be at least 1, got 0", bad.Err);
    }

    [Fact]
    public void UnknownPrecisionIsRejectedWithoutOutput()
    {
        var (code, stdout, stderr) = Run("bench", "nn", "--only", "mlp_step", "--precision", "float16");
        Assert.NotEqual(0, code);
        Assert.Equal("", stdout);
        Assert.Contains("--precision must be float64, float32 or both, got 'float16'", stderr);
    }

    [Fact]
    public void Float32LinesSayTheirPrecision()
    {
        var (code, stdout, _) = Run("bench", "nn", "--only", "mlp_step", "--rounds", "1", "--precision", "float32");
        Assert.Equal(0, code);
        var line = Assert.Single(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = System.Text.Json.JsonDocument.Parse(line);
        Assert.Equal("mlp_step", json.RootElement.GetProperty("name").GetString());
        Assert.Equal("float32", json.RootElement.GetProperty("dtype").GetString());
        Assert.True(json.RootElement.GetProperty("ms_per_step").GetDouble() > 0);
    }
}
