using System.CommandLine;
using System.Text.Json.Nodes;
using Vinfer.Cli;

namespace Vinfer.Tests.Experiments;

/// <summary><c>vinfer experiment iw-snr --quick</c>: the files, and the qualitative findings the study exists to show.</summary>
public class IwSnrExperimentTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"vinfer-iwsnr-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static (int Code, string Out, string Err) Run(params string[] args) => Vinfer.Tests.Cli.InProcessCli.Run(args);

    [Fact]
    public void QuickRunWritesTheResultsAndShowsIwaeSnrFallingButNotDregs()
    {
        var (code, _, stderr) = Run("experiment", "iw-snr", "--quick", "--out", _dir);
        Assert.True(code == 0, stderr);
        foreach (var file in new[] { "results.json", "iw-snr.md", "snr-vs-k.svg", "vr-iwae-snr-vs-d-alpha0.0.svg", "vr-iwae-snr-vs-d-alpha0.5.svg" })
            Assert.True(File.Exists(Path.Combine(_dir, file)), file);
        Assert.StartsWith("<svg", File.ReadAllText(Path.Combine(_dir, "snr-vs-k.svg")));
        var points = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "results.json")))!["points"]!.AsArray();
        double Snr(string estimator, int k) => (double)points.First(p => (string?)p!["estimator"] == estimator && (int)p["samples"]! == k && (int)p["dimension"]! == 20)!["snr_b"]!;
        // 2000 estimates: the SNR's standard error is below 0.03 here, far below the differences asserted.
        Assert.True(Snr("iwae", 100) < 0.6 * Snr("iwae", 1), $"IWAE SNR {Snr("iwae", 1)} at K = 1, {Snr("iwae", 100)} at K = 100");
        Assert.True(Snr("dreg", 100) > 3 * Snr("iwae", 100), $"DReG SNR {Snr("dreg", 100)} vs IWAE {Snr("iwae", 100)} at K = 100");
        Assert.Contains("| N \\ d |", File.ReadAllText(Path.Combine(_dir, "iw-snr.md")));
    }

    [Fact]
    public void MissingOutFolderIsAnError()
    {
        var (code, _, stderr) = Run("experiment", "iw-snr", "--quick");
        Assert.NotEqual(0, code);
        Assert.Contains("--out", stderr);
    }
}
