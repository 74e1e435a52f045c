using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vinfer.Cli.Infrastructure;
using Vinfer.Data;
using Vinfer.Guides;
using Vinfer.Inference;
using Vinfer.Random;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>vinfer sample DIR --draws N [--seed S] [--out FILE]</c>: draws more from a fitted approximation without refitting.
/// The guide is rebuilt from DIR/approximation.json (<see cref="GuideFile"/>: no optimization, no model code needed
/// for the guide itself); the model named in the file is bound to the same data only to replay it on each draw for
/// log p(x, z) (draws.csv's log_p__) and the deterministic sites. The draws use the fit's draw stream, so the same
/// seed and count give exactly the fit's guide draws.
/// </summary>
public static class SampleCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var dir = new Argument<string>("dir") { Description = "Output folder of a fit (holds approximation.json)." };
        var draws = new Option<int>("--draws") { Description = "Number of draws.", DefaultValueFactory = _ => 1000 };
        var seed = new Option<ulong?>("--seed") { Description = "Random seed (default: the fit's seed, which reproduces the fit's draws)." };
        var output = new Option<string?>("--out") { Description = "The CSV file to write (default DIR/sample.csv), in draws.csv's CmdStan variational layout." };
        var command = new Command("sample", "Draw more from a fitted approximation (DIR/approximation.json) without refitting.") { dir, draws, seed, output };
        command.SetAction(pr => CliError.Guard(pr, () =>
        {
            try
            {
                return Run(pr, pr.GetValue(dir)!, pr.GetValue(draws), pr.GetValue(seed), pr.GetValue(output));
            }
            catch (JsonException e)
            {
                throw new FormatException($"{Path.Combine(pr.GetValue(dir)!, FitArtifacts.ApproximationFileName)}: not valid JSON ({e.Message}).");
            }
        }));
        return command;
    }

    private static int Run(ParseResult pr, string dir, int count, ulong? seedOption, string? output)
    {
        if (count < 1) throw new ArgumentException($"--draws is {count}, expected at least 1.");
        string path = Path.Combine(dir, FitArtifacts.ApproximationFileName);
        if (!File.Exists(path)) throw new ArgumentException($"'{path}' does not exist: fit with --out {dir} first.");
        output ??= Path.Combine(dir, "sample.csv");
        if (Directory.Exists(output)) throw new ArgumentException($"--out: '{output}' is a folder, expected a file name.");
        var node = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new FormatException($"{path}: expected a JSON object.");
        var draws = Draw(node, count, seedOption, out string modelName, out ulong seed);
        var loaded = GuideFile.FromJson(node);
        var mean = ApproximationMean.Compute(loaded.Guide.Latents, draws);
        CmdStanCsvWriter.WriteVariational(output, draws.Names, mean, draws.Values, draws.LogP, draws.LogQ,
        [
            new("model", modelName),
            new("algorithm", loaded.Guide.Family),
            new("seed", seed.ToString(CultureInfo.InvariantCulture)),
            new("output_samples", count.ToString(CultureInfo.InvariantCulture)),
        ]);
        pr.InvocationConfiguration.Output.WriteLine($"wrote {count} draws to {output}");
        return 0;
    }

    /// <summary>
    /// <paramref name="count"/> draws from the approximation saved in <paramref name="approximation"/> (approximation.json's
    /// content), with the fit's seed unless <paramref name="seedOption"/> is given.
    /// </summary>
    internal static PosteriorDraws Draw(JsonObject approximation, int count, ulong? seedOption, out string modelName, out ulong seed)
    {
        modelName = (string?)approximation["model"] ?? throw new FormatException("approximation.json: missing \"model\".");
        if (!FitCommand.BuiltInModels.TryGet(modelName, out var model))
            throw new FormatException($"approximation.json: model '{modelName}' is not a built-in model of this build.");
        string? dataPath = (string?)approximation["data"];
        seed = seedOption ?? (ulong?)approximation["seed"] ?? 1UL;
        var program = model.Bind(ModelFit.ReadData(dataPath, model));
        var loaded = GuideFile.FromJson(approximation);
        if (loaded.Guide is AutoParticles)
            throw new ArgumentException("the approximation is an SVGD fit's particle set (its draws are the particles in draws.csv): there is nothing more to draw from it.");
        var prototype = ModelPrototype.Capture(program);
        var stream = new RandomStream(new RandomKey(seed).Fold(StreamTags.PosteriorDraws));
        return PosteriorSampler.Draw(program, loaded.Guide.Run, prototype, loaded.Store, count, stream);
    }
}
