using System.CommandLine;
using System.Text.Json.Nodes;
using Vinfer.Cli;
using Vinfer.Experiments.GlobalConvergence;

namespace Vinfer.Tests.Experiments;

/// <summary><c>vinfer experiment gcvi-toy --quick</c>: the files, the reference NLLs, and the findings the study exists to show.</summary>
public class GcviToyExperimentTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"vinfer-gcvitoy-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static (int Code, string Out, string Err) Run(params string[] args) => Vinfer.Tests.Cli.InProcessCli.Run(args);

    [Fact]
    public void ReferenceNllsMatchThePaper()
    {
        // ½ log(2πe·0.25) = 0.7258 (the wrapping changes it by less than 1e-4 at σ = 0.5), and the best von Mises's 0.7277.
        Assert.Equal(0.7258, GcviToyStudy.ExactPopulationNll(), 4);
        Assert.Equal(0.7277, GcviToyStudy.BestVonMises().Nll, 4);
    }

    [Fact]
    public void QuickRunWritesTheFilesAndTheNetworksApproachTheExactPosterior()
    {
        var (code, _, stderr) = Run("experiment", "gcvi-toy", "--quick", "--out", _dir);
        Assert.True(code == 0, stderr);
        foreach (var file in new[] { "results.json", "gcvi-toy.md", "nll.svg", "drift.svg" })
            Assert.True(File.Exists(Path.Combine(_dir, file)), file);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "results.json")))!;
        double exact = (double)json["exact_posterior_test_nll"]!;
        var runs = json["runs"]!.AsArray();
        JsonNode RunOf(int width, bool linearized) => runs.First(r => (int)r!["width"]! == width && (bool)r["linearized"]! == linearized)!;
        double Last(JsonNode run, string name) => (double)run[name]!.AsArray()[^1]!;
        foreach (var run in runs)
        {
            // At φ₀ the output is 10⁻⁴: q is nearly uniform, NLL log 2π; the drift is 0.
            Assert.Equal(Math.Log(2 * Math.PI), (double)run!["test_nll"]!.AsArray()[0]!, 3);
            Assert.Equal(0.0, (double)run["jacobian_drift"]!.AsArray()[0]!);
            Assert.True(Last(run, "test_nll") < 1.0, $"p = {run["width"]}: final test NLL {Last(run, "test_nll")}");
        }
        // 400 quick steps: the width-64 network is within 0.03 nats of the exact posterior on the same test pairs.
        Assert.True(Math.Abs(Last(RunOf(64, false), "test_nll") - exact) < 0.03, $"p = 64: {Last(RunOf(64, false), "test_nll")} vs exact {exact}");
        Assert.True(Last(RunOf(64, false), "jacobian_drift") < Last(RunOf(16, false), "jacobian_drift"), "the Jacobian drift falls with width");
        Assert.Equal(0.0, Last(RunOf(64, true), "jacobian_drift"));
        Assert.Contains("| 0.7258 |", File.ReadAllText(Path.Combine(_dir, "gcvi-toy.md")));
    }
}
