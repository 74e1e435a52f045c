using System.Diagnostics;
using System.Text.Json.Nodes;
using Xunit;

namespace Vinfer.Tests.Cli;

/// <summary>
/// <c>vinfer fit … --checkpoint-every N</c> and <c>--resume DIR</c>: a real vinfer process killed with SIGKILL after a
/// checkpoint exists, then resumed, leaves the same files as an uninterrupted run of the same seed.
/// </summary>
public class FitResumeTests : CliTestFolder
{
    private static readonly string[] FitArguments = ["fit", "eight_schools", "--steps", "6000", "--seed", "7", "--draws", "200", "--checkpoint-every", "100"];

    [Fact]
    public void AFitKilledAndResumedEqualsAnUninterruptedRunToTheBit()
    {
        string killed = Path.Combine(Folder, "killed"), straight = Path.Combine(Folder, "straight");
        var seen = new List<int>();
        using (var process = ExternalTools.Start("dotnet", [ExternalTools.Vinfer, .. FitArguments, "--out", killed]))
        {
            var checkpoint = Path.Combine(killed, "checkpoint.json");
            var clock = Stopwatch.StartNew();
            // wait until a checkpoint past the first progress lines (every 600 steps) is on disk: the resumed run then
            // starts mid-way and its first progress line shows it
            while (true)
            {
                int step = StepOf(checkpoint);
                if (seen.Count == 0 || seen[^1] != step) seen.Add(step);
                if (step >= 1500) break;
                // (the message reads the process's output only when it has ended: reading it earlier would block)
                if (process.HasExited) Assert.Fail($"the fit ended before it could be killed: {process.StandardError.ReadToEnd()}");
                Assert.True(clock.Elapsed.TotalSeconds < 120, "no checkpoint after 120 s");
                Thread.Sleep(20);
            }
            process.Kill(); // SIGKILL on Linux: no cleanup runs
            process.WaitForExit();
        }
        Assert.False(File.Exists(Path.Combine(killed, "summary.json")), $"the fit finished before the kill; lower its speed or raise --steps (checkpoint steps seen: {string.Join(", ", seen)})");
        int resumedFrom = StepOf(Path.Combine(killed, "checkpoint.json"));
        Assert.InRange(resumedFrom, 1500, 5900);

        var resumed = ExternalTools.RunVinfer(300, "fit", "eight_schools", "--resume", killed);
        Assert.True(resumed.Code == 0, resumed.Err);
        Assert.Contains("resuming with the checkpoint's options", resumed.Err);
        // it went on from the checkpoint: its first progress line (one every 600 steps) is past the checkpoint's step
        var firstStep = System.Text.RegularExpressions.Regex.Match(resumed.Err, @"step +(\d+)");
        Assert.True(firstStep.Success, resumed.Err);
        Assert.True(int.Parse(firstStep.Groups[1].Value) > resumedFrom, $"resumed from {resumedFrom}, but the first progress line is '{firstStep.Value}'");
        var (code, _, err) = Run([.. FitArguments, "--out", straight]);
        Assert.True(code == 0, err);

        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "draws.csv")), File.ReadAllBytes(Path.Combine(killed, "draws.csv")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "approximation.json")), File.ReadAllBytes(Path.Combine(killed, "approximation.json")));
        Assert.Equal(WithoutTiming(Path.Combine(straight, "summary.json")), WithoutTiming(Path.Combine(killed, "summary.json")));
    }

    [Fact]
    public void ResumingInProcessFromAnEarlyCheckpointReproducesTheRun()
    {
        // The same property without a process kill: a checkpoint left by a shorter run (same options otherwise).
        string a = Path.Combine(Folder, "a"), b = Path.Combine(Folder, "b");
        string[] common = ["fit", "eight_schools", "--seed", "3", "--draws", "100", "--checkpoint-every", "100"];
        Assert.Equal(0, Run([.. common, "--steps", "900", "--out", b]).Code);
        Assert.Equal(0, Run([.. common, "--steps", "900", "--out", a]).Code);
        // replace a's final checkpoint with the one at step 300 from a fresh short run under a's arguments
        var full = JsonNode.Parse(File.ReadAllText(Path.Combine(a, "checkpoint.json")))!;
        string shortDir = Path.Combine(Folder, "short");
        Assert.Equal(0, Run([.. common, "--steps", "300", "--out", shortDir]).Code);
        var early = JsonNode.Parse(File.ReadAllText(Path.Combine(shortDir, "checkpoint.json")))!;
        Assert.Equal(300, (int)early["svi"]!["step"]!);
        early["arguments"] = full["arguments"]!.DeepClone();
        File.WriteAllText(Path.Combine(a, "checkpoint.json"), early.ToJsonString());
        File.Delete(Path.Combine(a, "draws.csv"));
        var (code, _, err) = Run("fit", "eight_schools", "--resume", a);
        Assert.True(code == 0, err);
        // progress lines come every 90 steps: the resumed run's first is past step 300
        Assert.Equal("step    360", System.Text.RegularExpressions.Regex.Match(err, @"step +\d+").Value);
        Assert.Equal(File.ReadAllBytes(Path.Combine(b, "draws.csv")), File.ReadAllBytes(Path.Combine(a, "draws.csv")));
    }

    [Fact]
    public void BadCheckpointOptionsAreRefusedBeforeTheFit()
    {
        var (code, _, err) = Run("fit", "eight_schools", "--checkpoint-every", "150", "--out", Path.Combine(Folder, "x"));
        Assert.Equal(1, code);
        Assert.Contains("--checkpoint-every is 150", err);
        (code, _, err) = Run("fit", "eight_schools", "--checkpoint-every", "100");
        Assert.Equal(1, code);
        Assert.Contains("needs --out", err);
        (code, _, err) = Run("fit", "eight_schools", "--resume", Path.Combine(Folder, "nothing"));
        Assert.Equal(1, code);
        Assert.Contains("checkpoint.json' does not exist", err);
        string other = Path.Combine(Folder, "other");
        Assert.Equal(0, Run("fit", "banana", "--steps", "100", "--draws", "20", "--checkpoint-every", "100", "--out", other).Code);
        (code, _, err) = Run("fit", "eight_schools", "--resume", other);
        Assert.Equal(1, code);
        Assert.Contains("model 'banana', not 'eight_schools'", err);
    }

    private static int StepOf(string checkpoint)
    {
        if (!File.Exists(checkpoint)) return -1;
        try { return (int?)JsonNode.Parse(File.ReadAllText(checkpoint))?["svi"]?["step"] ?? -1; }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException) { return -1; }
    }

    /// <summary>summary.json without its timing fields (wall-clock seconds differ between any two runs).</summary>
    private static string WithoutTiming(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        // The recorded command line differs by design (the resumed run was invoked with --resume and another --out).
        if (root["metadata"] is JsonObject metadata) metadata.Remove("options");
        Strip(root);
        return root.ToJsonString();
    }

    private static void Strip(JsonNode? node)
    {
        if (node is JsonObject o)
        {
            foreach (var key in o.Select(p => p.Key).ToList())
                if (key.Contains("second", StringComparison.OrdinalIgnoreCase) || key.Contains("time", StringComparison.OrdinalIgnoreCase) || key.Contains("per_second", StringComparison.Ordinal))
                    o.Remove(key);
                else Strip(o[key]);
        }
        else if (node is JsonArray a) foreach (var item in a) Strip(item);
    }
}
