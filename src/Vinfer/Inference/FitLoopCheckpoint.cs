using System.Text.Json.Nodes;
using Vinfer.IO;

namespace Vinfer.Inference;

/// <summary>
/// Everything a <see cref="FitLoop"/> run needs to continue exactly where it stopped: the update's state
/// (<see cref="IIterativeUpdate.SaveState"/>), the step count and the recoveries so far (both pick the random keys of
/// later steps), the per-step objective trace and the convergence evaluations (replayed into the monitor on resume).
/// Saved as a versioned JSON file.
/// </summary>
public sealed record FitLoopCheckpoint(
    int Step,
    int Recoveries,
    JsonNode State,
    double[] Trace,
    IReadOnlyList<(int Step, double Estimate)> Evaluations)
{
    /// <summary>The file format's name.</summary>
    public const string FormatName = "vinfer.fit-checkpoint";

    /// <summary>The file format's version.</summary>
    public const int FormatVersion = 1;

    /// <summary>The checkpoint as JSON.</summary>
    public JsonObject ToJson() => new()
    {
        ["format"] = FormatName,
        ["version"] = FormatVersion,
        ["step"] = Step,
        ["recoveries"] = Recoveries,
        ["state"] = State.DeepClone(),
        ["trace"] = TraceToJson(Trace),
        ["evaluations"] = EvaluationsToJson(Evaluations),
    };

    /// <summary>A checkpoint from <see cref="ToJson"/>'s output.</summary>
    public static FitLoopCheckpoint FromJson(JsonNode node)
    {
        if (node is not JsonObject o || (string?)o["format"] != FormatName)
            throw new FormatException($"Not a fit checkpoint (expected \"format\": \"{FormatName}\").");
        int version = (int?)o["version"] ?? 0;
        if (version < 1 || version > FormatVersion)
            throw new FormatException($"Fit checkpoint: version {version} is not supported (this build reads 1…{FormatVersion}).");
        return new FitLoopCheckpoint(
            (int)o["step"]!,
            (int)o["recoveries"]!,
            o["state"]?.DeepClone() ?? throw new FormatException("Fit checkpoint: missing \"state\"."),
            TraceFromJson(o["trace"]!),
            EvaluationsFromJson(o["evaluations"]!));
    }

    /// <summary>Saves atomically (temporary file, then rename).</summary>
    public void Save(string path) => JsonFile.WriteAtomic(path, ToJson());

    /// <summary>Loads a checkpoint saved by <see cref="Save"/>.</summary>
    public static FitLoopCheckpoint Load(string path) => FromJson(JsonNode.Parse(File.ReadAllText(path)) ?? throw new FormatException($"{path}: empty file."));

    internal static JsonArray TraceToJson(double[] trace) => new(trace.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    internal static double[] TraceFromJson(JsonNode node) => node.AsArray().Select(v => (double)v!).ToArray();

    internal static JsonArray EvaluationsToJson(IReadOnlyList<(int Step, double Estimate)> evaluations)
    {
        var array = new JsonArray();
        foreach (var (s, e) in evaluations) array.Add((JsonNode)new JsonArray(s, e));
        return array;
    }

    internal static List<(int, double)> EvaluationsFromJson(JsonNode node) => node.AsArray().Select(e => ((int)e![0]!, (double)e[1]!)).ToList();
}
