using System.CommandLine;
using System.Text.Json.Nodes;
using Vinfer.Cli.Infrastructure;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>vinfer bench fit --repeats R -- fit MODEL … --out DIR</c>: runs the same <c>vinfer fit</c> command line R times
/// in one process and prints one JSON line per run with summary.json's in-process seconds, their JIT share and the
/// phase split. The first run pays the JIT compiler for every method the fit touches; the later ones show the fit's
/// own cost, the analogue of a Stan run after its C++ compile (bench/compare-stan.sh reports both).
/// </summary>
public static class BenchFit
{
    /// <summary>The <c>bench fit</c> command.</summary>
    public static Command Create()
    {
        var repeats = new Option<int>("--repeats") { Description = "How many times to run the fit in this process.", DefaultValueFactory = _ => 2 };
        var fitArgs = new Argument<string[]>("fit-command") { Description = "The fit command line after --, starting with 'fit' and with --out DIR.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("fit", "Run one `vinfer fit` command line several times in one process: first (with JIT) and later fit times (JSON lines).") { repeats, fitArgs };
        command.SetAction(pr =>
        {
            int r = pr.GetValue(repeats);
            var args = pr.GetValue(fitArgs)!;
            if (r < 1) { pr.InvocationConfiguration.Error.WriteLine($"bench fit: --repeats must be >= 1, got {r}."); return 2; }
            if (args.Length == 0 || args[0] != "fit") { pr.InvocationConfiguration.Error.WriteLine($"bench fit: the command line after -- must start with 'fit', got '{string.Join(' ', args)}'."); return 2; }
            int outAt = Array.IndexOf(args, "--out");
            if (outAt < 0 || outAt + 1 >= args.Length) { pr.InvocationConfiguration.Error.WriteLine("bench fit: the fit command line needs --out DIR (its summary.json is read after each run)."); return 2; }
            return Run(args, args[outAt + 1], r, pr.InvocationConfiguration.Output, pr.InvocationConfiguration.Error);
        });
        return command;
    }

    private static int Run(string[] fitArgs, string outDir, int repeats, TextWriter output, TextWriter error)
    {
        for (int i = 0; i < repeats; i++)
        {
            // a root with the fit command alone: the same parsing and the same action as `vinfer fit`
            var root = new RootCommand { FitCommand.Create() };
            var parsed = root.Parse(fitArgs);
            int code = ParseErrors.Report(parsed, error) ?? parsed.Invoke(new InvocationConfiguration { Output = TextWriter.Null, Error = error });
            if (code != 0) return code;
            var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!;
            double jit = 0;
            if (summary["phases"] is JsonObject phases)
                foreach (var (_, phase) in phases) jit += (double)phase!["jit_seconds"]!;
            var line = new JsonObject
            {
                ["run"] = i + 1,
                ["seconds"] = (double)summary["seconds"]!,
                ["jit_seconds"] = jit,
                ["steps"] = (int)summary["steps"]!,
                ["phases"] = summary["phases"]?.DeepClone(),
            };
            output.WriteLine(line.ToJsonString());
        }
        return 0;
    }
}
