using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vinfer.Inference;
using Vinfer.IO;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>vinfer fit … --checkpoint-every N</c> and <c>--resume DIR</c>: every N optimization steps the fit's state
/// (<see cref="SviCheckpoint"/>: parameters, optimizer and objective state, step, recoveries, ELBO trace and
/// evaluations) is saved to DIR/checkpoint.json with the command's own arguments; <c>--resume DIR</c> reruns the
/// saved command from that state. Because the loop's random keys depend only on the seed and the step, the resumed
/// fit's summary and draws equal, bit for bit, those of a run that was never stopped (Infer.NET's resumable inference
/// is the precedent; STYLE.md).
/// </summary>
public static class FitCheckpointing
{
    /// <summary>Steps between checkpoints.</summary>
    public static readonly Option<int?> CheckpointEvery = new("--checkpoint-every")
    {
        Description = "Save the fit's state to DIR/checkpoint.json every N optimization steps (a multiple of 100, the evaluation period); needs --out DIR.",
    };

    /// <summary>The folder of a checkpointed fit to continue.</summary>
    public static readonly Option<string?> Resume = new("--resume")
    {
        Description = "Continue the fit checkpointed in DIR (DIR/checkpoint.json) with the options it was started with; the result equals an uninterrupted run.",
    };

    /// <summary>The checkpoint's file name inside the output folder.</summary>
    public const string FileName = "checkpoint.json";

    /// <summary>The file format's name.</summary>
    public const string FormatName = "vinfer.fit-command-checkpoint";

    /// <summary>The file format's version.</summary>
    public const int FormatVersion = 1;

    /// <summary>Adds both options to the fit command.</summary>
    public static void AddOptions(Command fit)
    {
        fit.Options.Add(CheckpointEvery);
        fit.Options.Add(Resume);
    }

    /// <summary>
    /// With <c>--resume DIR</c> typed with other arguments than the checkpoint's (typically just <c>fit MODEL --resume
    /// DIR</c>), runs the checkpoint's command with <c>--resume DIR</c> and returns its exit code; otherwise null (the
    /// caller goes on with <paramref name="parseResult"/>).
    /// </summary>
    public static int? RunStoredCommand(ParseResult parseResult, string model)
    {
        if (parseResult.GetValue(Resume) is not { } dir) return null;
        var stored = Load(dir, out _);
        var current = Arguments(parseResult);
        if (stored.SequenceEqual(current, StringComparer.Ordinal)) return null;
        if (stored.Count < 2 || stored[1] != model)
            throw new ArgumentException($"--resume: '{dir}' holds a checkpoint of model '{(stored.Count > 1 ? stored[1] : "?")}', not '{model}'.");
        parseResult.InvocationConfiguration.Error.WriteLine($"resuming with the checkpoint's options: vinfer {string.Join(' ', stored)}");
        var root = parseResult.RootCommandResult.Command;
        return root.Parse([.. stored, "--resume", dir]).Invoke(parseResult.InvocationConfiguration);
    }

    /// <summary>
    /// <paramref name="options"/> with the checkpoint writer (<c>--checkpoint-every</c>) and the state to resume from
    /// (<c>--resume</c>) set; checks both before any work is done.
    /// </summary>
    public static FitOptions Apply(ParseResult parseResult, FitOptions options, string? outDir)
    {
        var result = options;
        if (parseResult.GetValue(Resume) is { } dir)
        {
            Load(dir, out var checkpoint);
            result = result with { Resume = checkpoint };
        }
        if (parseResult.GetValue(CheckpointEvery) is { } every)
        {
            if (every < 1 || every % options.EvalEvery != 0)
                throw new ArgumentException($"--checkpoint-every is {every}, expected a positive multiple of {options.EvalEvery} (the ELBO evaluation period, where a resumed run can continue exactly).");
            if (outDir is null) throw new ArgumentException("--checkpoint-every needs --out DIR (the checkpoint is saved as DIR/checkpoint.json).");
            if (File.Exists(outDir)) throw new ArgumentException($"--out: '{outDir}' is a file, not a folder.");
            Directory.CreateDirectory(outDir);
            var arguments = Arguments(parseResult);
            string path = Path.Combine(outDir, FileName);
            result = result with { CheckpointEvery = every, Checkpoint = c => Save(path, arguments, c) };
        }
        return result;
    }

    /// <summary>Rejects both options on paths that cannot checkpoint (SVGD, alpha-moments).</summary>
    public static void RejectFor(ParseResult parseResult, string what)
    {
        foreach (var o in new Option[] { CheckpointEvery, Resume })
            if (parseResult.GetResult(o) is { Implicit: false }) throw new ArgumentException($"{o.Name} does not apply to {what}.");
    }

    /// <summary>The command's arguments as typed (from "fit" on), without <c>--resume DIR</c>.</summary>
    internal static List<string> Arguments(ParseResult parseResult)
    {
        var tokens = parseResult.Tokens;
        var arguments = new List<string>();
        for (int i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Type == TokenType.Option && tokens[i].Value == Resume.Name) { i++; continue; }
            arguments.Add(tokens[i].Value);
        }
        return arguments;
    }

    private static void Save(string path, IReadOnlyList<string> arguments, SviCheckpoint checkpoint)
    {
        var root = new JsonObject
        {
            ["format"] = FormatName,
            ["version"] = FormatVersion,
            ["arguments"] = new JsonArray(arguments.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray()),
            ["svi"] = checkpoint.ToJson(),
        };
        AtomicFile.WriteAllText(path, root.ToJsonString());
    }

    private static List<string> Load(string dir, out SviCheckpoint checkpoint)
    {
        string path = Path.Combine(dir, FileName);
        if (!File.Exists(path)) throw new ArgumentException($"--resume: '{path}' does not exist (start the fit with --checkpoint-every N --out {dir}).");
        JsonNode? node;
        try { node = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new FormatException($"--resume: '{path}' is not valid JSON ({e.Message})."); }
        if (node is not JsonObject o || (string?)o["format"] != FormatName)
            throw new FormatException($"--resume: '{path}' is not a fit checkpoint (expected \"format\": \"{FormatName}\").");
        if ((int?)o["version"] is not (>= 1 and <= FormatVersion) )
            throw new FormatException($"--resume: '{path}' has version {o["version"]?.ToJsonString() ?? "none"}; this build reads 1…{FormatVersion}.");
        checkpoint = SviCheckpoint.FromJson(o["svi"] ?? throw new FormatException($"--resume: '{path}' has no \"svi\" state."));
        return o["arguments"]!.AsArray().Select(a => (string)a!).ToList();
    }
}
