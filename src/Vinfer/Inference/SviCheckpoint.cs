using Vinfer.IO;
using System.Text.Json.Nodes;

namespace Vinfer.Inference;

/// <summary>
/// Everything an <see cref="Svi"/> run needs to continue exactly where it stopped: the parameters (unconstrained,
/// bit-exact), the optimizer's state, the step count, the recoveries so far (both pick the random keys of later
/// steps), the ELBO trace and the convergence evaluations (replayed into Stan's rule on resume). A run resumed from a
/// checkpoint is bit-identical to one that never stopped. Saved as a versioned JSON file.
/// </summary>
public sealed record SviCheckpoint(
    int Step,
    int Recoveries,
    JsonObject Parameters,
    byte[] OptimizerState,
    double[] ElboTrace,
    IReadOnlyList<(int Step, double Elbo)> ElboEvaluations)
{
    /// <summary>The file format's name.</summary>
    public const string FormatName = "vinfer.svi-checkpoint";

    /// <summary>The file format's version.</summary>
    public const int FormatVersion = 1;

    /// <summary>The checkpoint as JSON.</summary>
    public JsonObject ToJson()
    {
        var evaluations = new JsonArray();
        foreach (var (s, e) in ElboEvaluations) evaluations.Add(new JsonArray(s, e));
        return new JsonObject
        {
            ["format"] = FormatName,
            ["version"] = FormatVersion,
            ["step"] = Step,
            ["recoveries"] = Recoveries,
            ["parameters"] = Parameters.DeepClone(),
            ["optimizer_state"] = Convert.ToBase64String(OptimizerState),
            ["elbo_trace"] = new JsonArray(ElboTrace.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
            ["elbo_evaluations"] = evaluations,
        };
    }

    /// <summary>A checkpoint from <see cref="ToJson"/>'s output.</summary>
    public static SviCheckpoint FromJson(JsonNode node)
    {
        if (node is not JsonObject o || (string?)o["format"] != FormatName)
            throw new FormatException($"Not an SVI checkpoint (expected \"format\": \"{FormatName}\").");
        int version = (int?)o["version"] ?? 0;
        if (version < 1 || version > FormatVersion)
            throw new FormatException($"SVI checkpoint: version {version} is not supported (this build reads 1…{FormatVersion}).");
        return new SviCheckpoint(
            (int)o["step"]!,
            (int)o["recoveries"]!,
            (JsonObject)o["parameters"]!.DeepClone(),
            Convert.FromBase64String((string)o["optimizer_state"]!),
            o["elbo_trace"]!.AsArray().Select(v => (double)v!).ToArray(),
            o["elbo_evaluations"]!.AsArray().Select(e => ((int)e![0]!, (double)e[1]!)).ToList());
    }

    /// <summary>Saves atomically (temporary file, then rename).</summary>
    public void Save(string path) => JsonFile.WriteAtomic(path, ToJson());

    /// <summary>Loads a checkpoint saved by <see cref="Save"/>.</summary>
    public static SviCheckpoint Load(string path) => FromJson(JsonNode.Parse(File.ReadAllText(path)) ?? throw new FormatException($"{path}: empty file."));
}
