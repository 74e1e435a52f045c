using Vinfer.IO;
using System.Text.Json.Nodes;

namespace Vinfer.Inference;

/// <summary>
/// Everything an <see cref="Svi"/> run needs to continue exactly where it stopped: the parameters (unconstrained,
/// bit-exact), the optimizer's state, the objective's state (for example the score-function baselines of
/// <see cref="Objectives.Elbo"/>; null for a stateless objective), the step count, the recoveries so far (both pick
/// the random keys of later steps), the ELBO trace and the convergence evaluations (replayed into Stan's rule on
/// resume). A run resumed from a checkpoint is bit-identical to one that never stopped. Saved as a versioned JSON
/// file; version 1 files (before the objective's state was saved) still load, with no objective state.
/// </summary>
public sealed record SviCheckpoint(
    int Step,
    int Recoveries,
    JsonObject Parameters,
    byte[] OptimizerState,
    double[] ElboTrace,
    IReadOnlyList<(int Step, double Elbo)> ElboEvaluations,
    JsonNode? ObjectiveState = null)
{
    /// <summary>The file format's name.</summary>
    public const string FormatName = "vinfer.svi-checkpoint";

    /// <summary>The file format's version (2 added <c>objective_state</c>).</summary>
    public const int FormatVersion = 2;

    /// <summary>The checkpoint as JSON.</summary>
    public JsonObject ToJson() => new()
    {
        ["format"] = FormatName,
        ["version"] = FormatVersion,
        ["step"] = Step,
        ["recoveries"] = Recoveries,
        ["parameters"] = Parameters.DeepClone(),
        ["optimizer_state"] = Convert.ToBase64String(OptimizerState),
        ["objective_state"] = ObjectiveState?.DeepClone(),
        ["elbo_trace"] = FitLoopCheckpoint.TraceToJson(ElboTrace),
        ["elbo_evaluations"] = FitLoopCheckpoint.EvaluationsToJson(ElboEvaluations),
    };

    /// <summary>A checkpoint from <see cref="ToJson"/>'s output (this version or version 1).</summary>
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
            FitLoopCheckpoint.TraceFromJson(o["elbo_trace"]!),
            FitLoopCheckpoint.EvaluationsFromJson(o["elbo_evaluations"]!),
            version >= 2 ? o["objective_state"]?.DeepClone() : null);
    }

    /// <summary>Saves atomically (temporary file, then rename).</summary>
    public void Save(string path) => JsonFile.WriteAtomic(path, ToJson());

    /// <summary>Loads a checkpoint saved by <see cref="Save"/>.</summary>
    public static SviCheckpoint Load(string path) => FromJson(JsonNode.Parse(File.ReadAllText(path)) ?? throw new FormatException($"{path}: empty file."));

    /// <summary>The same checkpoint in <see cref="FitLoop"/>'s form (the SVI state as its <see cref="FitLoopCheckpoint.State"/>).</summary>
    public FitLoopCheckpoint ToFitLoopCheckpoint() =>
        new(Step, Recoveries, StateToJson(Parameters, OptimizerState, ObjectiveState), ElboTrace, ElboEvaluations);

    /// <summary>An SVI checkpoint from the checkpoint of a <see cref="FitLoop"/> that ran an <see cref="Svi"/>.</summary>
    public static SviCheckpoint FromFitLoopCheckpoint(FitLoopCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var (parameters, optimizerState, objectiveState) = StateFromJson(checkpoint.State);
        return new SviCheckpoint(checkpoint.Step, checkpoint.Recoveries, parameters, optimizerState, checkpoint.Trace, checkpoint.Evaluations, objectiveState);
    }

    internal static JsonObject StateToJson(JsonObject parameters, byte[] optimizerState, JsonNode? objectiveState) => new()
    {
        ["parameters"] = parameters.DeepClone(),
        ["optimizer_state"] = Convert.ToBase64String(optimizerState),
        ["objective_state"] = objectiveState?.DeepClone(),
    };

    internal static (JsonObject Parameters, byte[] OptimizerState, JsonNode? ObjectiveState) StateFromJson(JsonNode state)
    {
        if (state is not JsonObject o || o["parameters"] is not JsonObject parameters || o["optimizer_state"] is null)
            throw new FormatException("SVI state: expected an object with \"parameters\" and \"optimizer_state\".");
        return ((JsonObject)parameters.DeepClone(), Convert.FromBase64String((string)o["optimizer_state"]!), o["objective_state"]?.DeepClone());
    }
}
