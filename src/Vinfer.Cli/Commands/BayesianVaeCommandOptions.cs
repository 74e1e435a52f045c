using System.CommandLine;
using System.Globalization;
using Vinfer.Data;
using Vinfer.Experiments.Amortization;
using Vinfer.IO;

namespace Vinfer.Cli.Commands;

/// <summary>
/// The options <c>vinfer experiment amortization --model bayesian-vae</c> adds (<c>--images</c>, <c>--epochs</c>,
/// <c>--batch-size</c>, <c>--widths</c>, <c>--methods</c>) and its run: the Bayesian VAE study of Margossian and Blei
/// (2024) on Fashion-MNIST (<see cref="BayesianVaeStudy"/>). The report files are rewritten after every method, so a
/// long run leaves a usable partial report.
/// </summary>
public sealed class BayesianVaeCommandOptions
{
    private readonly Option<int?> _images = new("--images") { Description = "bayesian-vae: training images (default 10,000; --quick 60)." };
    private readonly Option<int?> _epochs = new("--epochs") { Description = "bayesian-vae: epochs per fit (default 3,000; --quick 4)." };
    private readonly Option<int?> _batchSize = new("--batch-size") { Description = "bayesian-vae: images per minibatch (default 1,000; --quick 20)." };
    private readonly Option<string?> _widths = new("--widths") { Description = "bayesian-vae: A-VI encoder widths, comma-separated (default 1,64,128,256)." };
    private readonly Option<string?> _methods = new("--methods") { Description = "bayesian-vae: the methods to fit, comma-separated (fvi, avi-kK, const; default all)." };

    /// <summary>Creates the options.</summary>
    public static BayesianVaeCommandOptions Create() => new();

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(_images);
        command.Options.Add(_epochs);
        command.Options.Add(_batchSize);
        command.Options.Add(_widths);
        command.Options.Add(_methods);
    }

    /// <summary>Throws when a bayesian-vae option is given with another model.</summary>
    public void RefuseFor(ParseResult parseResult, string model)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        foreach (var option in new Option[] { _images, _epochs, _batchSize, _widths, _methods })
            if (parseResult.GetResult(option) is { Implicit: false })
                throw new ArgumentException($"{option.Name}: applies only to --model bayesian-vae, not '{model}'.");
    }

    /// <summary>Runs the study into <paramref name="directory"/>; returns the exit code.</summary>
    public int Run(ParseResult parseResult, string directory, bool quick, int? samples, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var options = (quick ? BayesianVaeOptions.Quick() : new BayesianVaeOptions()) with { Seed = seed };
        if (parseResult.GetValue(_images) is int images) options = options with { Images = images };
        if (parseResult.GetValue(_epochs) is int epochs) options = options with { Epochs = epochs };
        if (parseResult.GetValue(_batchSize) is int batch) options = options with { BatchSize = batch };
        if (samples is int s) options = options with { Samples = s };
        if (parseResult.GetValue(_widths) is string widths) options = options with { Widths = ParseList(widths, "--widths").Select(w => ParseWidth(w)).ToArray() };
        if (parseResult.GetValue(_methods) is string methods) options = options with { Methods = ParseList(methods, "--methods") };
        options.Validate();
        if (File.Exists(directory)) throw new ArgumentException($"--out: '{directory}' is a file, not a folder.");
        if (!ImageDatasets.IsInstalled("fashion-mnist"))
            throw new InvalidOperationException($"bayesian-vae needs Fashion-MNIST in {ImageDatasets.FashionMnistDirectory}; install it with: {ImageDatasets.FetchCommand("fashion-mnist")}");
        var train = ImageDatasets.Load("fashion-mnist").Train;
        var stdout = parseResult.InvocationConfiguration.Output;
        void Write(BayesianVaeResult result) =>
            AtomicFile.WriteAll(BayesianVaeReport.Files(result).Select(x => (Path.Combine(directory, x.Name), x.Content)).ToList());
        var result = BayesianVaeStudy.Run(options, train, line => stdout.WriteLine(line), Write);
        Write(result);
        stdout.WriteLine($"wrote {string.Join(", ", BayesianVaeReport.Files(result).Select(x => Path.Combine(directory, x.Name)))}");
        return 0;
    }

    private static string[] ParseList(string text, string flag)
    {
        var items = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (items.Length == 0) throw new ArgumentException($"{flag}: '{text}' names nothing.");
        return items;
    }

    private static int ParseWidth(string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int k) && k >= 1
            ? k : throw new ArgumentException($"--widths: '{text}' is not a positive integer.");
}
