using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Vinfer.Tests.Cli;

public class FitVerdictCliTests : CliTestFolder
{
    private const string EightSchools = "{\"J\": 8, \"y\": [28, 8, -3, 7, -1, 1, 18, 12], \"sigma\": [15, 10, 16, 11, 9, 11, 10, 18]}";

    [Fact]
    public void SummaryCarriesVerdictTraceMetadataAndMonteCarloErrors()
    {
        var data = Write("schools.json", EightSchools);
        var outDir = Path.Combine(Folder, "out");
        var (code, stdout, stderr) = Run("fit", "eight_schools", "--data", data, "--out", outDir, "--steps", "300", "--draws", "400", "--seed", "7");
        Assert.True(code == 0, stderr);
        Assert.Contains("verdict: ", stdout);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!;
        var verdict = summary["verdict"]!;
        Assert.Contains((string)verdict["trust"]!, new[] { "good", "caution", "unreliable" });
        Assert.Equal((double)summary["k_hat"]!, (double)verdict["k_hat"]!);
        Assert.NotNull(verdict["stationarity"]!["last_block_change"]);
        var trace = summary["elbo_trace"]!.AsArray();
        Assert.Equal(300, trace.Count);
        Assert.Equal(1, (int)trace[0]!["step"]!);
        var metadata = summary["metadata"]!;
        Assert.Equal("7", (string)metadata["seed"]!);
        Assert.Equal("meanfield", (string)metadata["family"]!);
        Assert.Equal(8, (int)metadata["particles"]!);
        Assert.Equal("300", (string)metadata["options"]!["--steps"]!);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(data))), (string)metadata["data_sha256"]!);
        Assert.False(string.IsNullOrEmpty((string?)metadata["vinfer_version"]));
        // the guide's own moments carry sd/√S; the reported ones are labelled and carry their own estimator's MCSE
        var guideMu = summary["guide_parameters"]!["mu"]!;
        Assert.Equal((double)guideMu["sd"]! / Math.Sqrt(400), (double)guideMu["mcse"]!, 12);
        var mu = summary["parameters"]!["mu"]!;
        if ((string)summary["moments"]! == "psis")
        {
            var psisMu = summary["psis_reweighted"]!["parameters"]!["mu"]!;
            Assert.Equal((double)psisMu["mean"]!, (double)mu["mean"]!, 15);
            Assert.Equal((double)psisMu["mcse"]!, (double)mu["mcse"]!, 15);
            Assert.Contains("moments: PSIS-reweighted", stdout);
        }
        else
        {
            Assert.Equal("guide", (string)summary["moments"]!);
            Assert.Equal((double)guideMu["mean"]!, (double)mu["mean"]!, 15);
        }
        if ((double)summary["k_hat"]! < 0.7) Assert.Contains("Yao", (string)summary["psis_reweighted"]!["label"]!);
    }

    [Fact]
    public void AStopByTheConvergenceRuleIsNeverCalledConvergedBesideAnUnreliableVerdict()
    {
        // Centred eight schools, mean-field: Stan's rule stops the optimizer, but k̂ > 0.7 (the funnel). summary.json
        // says which rule stopped it and, separately, the trust; it has no "converged": true to misread.
        var outDir = Path.Combine(Folder, "centred");
        var (code, stdout, stderr) = Run("fit", "eight_schools_centered", "--seed", "1", "--draws", "300", "--out", outDir);
        Assert.True(code == 0, stderr);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!.AsObject();
        Assert.Equal("convergence rule", (string)summary["stopped_by"]!);
        Assert.Equal("unreliable", (string)summary["trust"]!);
        Assert.Equal((string)summary["verdict"]!["trust"]!, (string)summary["trust"]!);
        Assert.False(summary.ContainsKey("converged"));
        Assert.DoesNotContain("converged)", stdout);
        Assert.Contains("stopped by the convergence rule, but the verdict calls the fit UNRELIABLE", stdout);

        // a good fit says the same two things, apart
        var good = Path.Combine(Folder, "noncentred");
        // (with the default draws: at 300, PSIS's shift of tau's mean, 0.28 ± 0.11 sd at k̂ 0.51, already counts as unreliable)
        (code, stdout, stderr) = Run("fit", "eight_schools", "--seed", "1", "--out", good);
        Assert.True(code == 0, stderr);
        var goodSummary = JsonNode.Parse(File.ReadAllText(Path.Combine(good, "summary.json")))!;
        Assert.Equal("convergence rule", (string)goodSummary["stopped_by"]!);
        Assert.Equal((string)goodSummary["verdict"]!["trust"]!, (string)goodSummary["trust"]!);
        Assert.Contains($"stopped by the convergence rule; verdict: {(string)goodSummary["trust"]!}", stdout);
        // a fixed step count is a stop at the step limit
        (code, stdout, stderr) = Run("fit", "eight_schools", "--steps", "200", "--draws", "100");
        Assert.True(code == 0, stderr);
        Assert.Contains("200 steps (stopped at the step limit", stdout);
    }

    [Fact]
    public void AnUnreliableFitExitsNonZeroOnlyWithFailOnKHat()
    {
        // five steps from the initialization leave q far from the posterior: k̂ far above 0.7
        var plain = Run("fit", "eight_schools", "--steps", "5", "--draws", "200", "--average-steps", "0");
        Assert.True(plain.Code == 0, plain.Err);
        Assert.Contains("verdict: unreliable", plain.Out);
        var strict = Run("fit", "eight_schools", "--steps", "5", "--draws", "200", "--average-steps", "0", "--fail-on-khat");
        Assert.Equal(3, strict.Code);
        Assert.Contains("--fail-on-khat", strict.Err);
    }

    [Fact]
    public void FamilyAutoRecordsWhatItTriedAndWhyItStopped()
    {
        var outDir = Path.Combine(Folder, "auto");
        var (code, stdout, stderr) = Run("fit", "eight_schools", "--family", "auto", "--out", outDir, "--draws", "300");
        Assert.True(code == 0, stderr);
        Assert.Contains("family auto: meanfield", stdout);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!;
        var attempts = summary["family_escalation"]!.AsArray();
        Assert.Equal("meanfield", (string)attempts[0]!["family"]!);
        var last = attempts[^1]!;
        double lastKHat = (double)last["k_hat"]!;
        // a family passes with k̂ < 0.7 and a verdict that is not unreliable (at 300 draws k̂ above 0.596 already is)
        if (lastKHat < 0.7) Assert.Matches("stopped here|verdict calls it unreliable", (string)last["outcome"]!);
        foreach (var a in attempts.Take(attempts.Count - 1))
            Assert.True((double)a!["k_hat"]! >= 0.7 || (string)a["family"]! == "(chosen)" || ((string)a["outcome"]!).Contains("verdict calls it unreliable", StringComparison.Ordinal));
    }

    [Fact]
    public void RestartsAreComparedInTheSummary()
    {
        var outDir = Path.Combine(Folder, "restarts");
        var (code, stdout, stderr) = Run("fit", "eight_schools", "--restarts", "3", "--out", outDir, "--draws", "300");
        Assert.True(code == 0, stderr);
        Assert.Contains("restarts (ELBO ± MCSE)", stdout);
        var restarts = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!["verdict"]!["restarts"]!;
        Assert.Equal(3, (int)restarts["count"]!);
        Assert.Equal(3, restarts["elbos"]!.AsArray().Count);
        Assert.Equal(1, Run("fit", "eight_schools", "--restarts", "0").Code);
    }
}
