using System.CommandLine;
using System.Text.Json.Nodes;
using Vinfer.Cli;
using Vinfer.Data;
using Vinfer.Experiments.Amortization;

namespace Vinfer.Tests.Experiments;

/// <summary>
/// The Bayesian VAE study (<see cref="BayesianVaeStudy"/>, <c>vinfer experiment amortization --model bayesian-vae</c>):
/// on small synthetic images, the bound that no shared factor can beat, the reported crossing epoch, and the CLI's
/// quick run on Fashion-MNIST.
/// </summary>
public class BayesianVaeStudyTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"vinfer-bvae-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    /// <summary>40 images of 12 pixels: two prototypes mixed with a random weight, plus a little noise, in [0, 1].</summary>
    private static ImageSet Synthetic()
    {
        var rng = new System.Random(3);
        const int count = 40, pixels = 12;
        var values = new double[count * pixels];
        for (int n = 0; n < count; n++)
        {
            double a = rng.NextDouble();
            for (int p = 0; p < pixels; p++)
            {
                double first = p < 6 ? 0.9 : 0.1, second = p % 2 == 0 ? 0.8 : 0.2;
                values[n * pixels + p] = Math.Clamp(a * first + (1 - a) * second + 0.02 * (rng.NextDouble() - 0.5), 0, 1);
            }
        }
        return new ImageSet("synthetic", 3, 4, values, null);
    }

    private static readonly BayesianVaeOptions Small = new()
    {
        Images = 40, BatchSize = 10, Epochs = 6, LatentSize = 2, DecoderHidden = [8], Widths = [1, 4], Threshold = 0.05,
        DecoderInitialLogScale = -4, LearningRate = 1e-2,
    };

    [Fact]
    public void EveryMethodRunsAndReportsTheFirstEpochBelowTheThreshold()
    {
        var lines = new List<string>();
        var partial = new List<int>();
        var result = BayesianVaeStudy.Run(Small, Synthetic(), lines.Add, r => partial.Add(r.Runs.Count));
        Assert.Equal(["fvi", "avi-k1", "avi-k4", "const"], result.Runs.Select(r => r.Method).ToArray());
        Assert.Equal([1, 2, 3, 4], partial.ToArray());
        foreach (var run in result.Runs)
        {
            Assert.Equal(Enumerable.Range(1, 6).ToArray(), run.Epochs.ToArray());
            Assert.All(run.ReconstructionError, e => Assert.True(double.IsFinite(e) && e >= 0));
            int index = run.ReconstructionError.ToList().FindIndex(e => e < Small.Threshold);
            Assert.Equal(index < 0 ? null : run.Epochs[index], run.EpochsToThreshold);
        }
    }

    [Fact]
    public void SharedFactorCannotReconstructBetterThanThePixelVariance()
    {
        // const gives every image the same latent mean, so the same reconstruction c: its error is at least
        // min_c mean_{n,p} (c_p − x_np)² = mean over pixels of the images' variance at that pixel.
        var images = Synthetic();
        int n = images.Count, p = images.PixelCount;
        double floor = 0;
        for (int j = 0; j < p; j++)
        {
            double mean = Enumerable.Range(0, n).Average(i => images.Pixels[i * p + j]);
            floor += Enumerable.Range(0, n).Average(i => Math.Pow(images.Pixels[i * p + j] - mean, 2)) / p;
        }
        var result = BayesianVaeStudy.Run(Small with { Epochs = 200, NoiseScale = 0.1, Methods = ["fvi", "const", "avi-k4"] }, images);
        var shared = result.Runs.Single(r => r.Method == "const");
        Assert.All(shared.ReconstructionError, e => Assert.True(e >= floor - 1e-12, $"const error {e} below the floor {floor}"));
        // F-VI and an encoder see each image, so they can go below that floor (σ = 0.1 here: at 0.71 the 12 pixels carry too
        // little likelihood for the encoding to pay for its KL, and the optimum is to ignore the image).
        var encoder = result.Runs.Single(r => r.Method == "avi-k4");
        Assert.True(encoder.ReconstructionError[^1] < floor, $"A-VI k = 4 error {encoder.ReconstructionError[^1]} not below {floor}");
        var factorized = result.Runs.Single(r => r.Method == "fvi");
        Assert.True(factorized.ReconstructionError[^1] < floor, $"F-VI error {factorized.ReconstructionError[^1]} not below {floor}");
    }

    [Fact]
    public void BadSettingsAreRefusedByName()
    {
        Assert.Contains("--batch-size", Assert.Throws<ArgumentException>(() => (Small with { BatchSize = 41 }).Validate()).Message);
        Assert.Contains("--methods", Assert.Throws<ArgumentException>(() => (Small with { Methods = ["avi-k3"] }).Validate()).Message);
        Assert.Contains("--images", Assert.Throws<ArgumentException>(() => BayesianVaeStudy.Run(Small with { Images = 41, BatchSize = 10 }, Synthetic())).Message);
    }

    private (int Code, string Output, string Error) Cli(params string[] arguments)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Program.BuildRootCommand().Parse(arguments).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void OptionsThatDoNotApplyAreRefused()
    {
        var (code, _, error) = Cli("experiment", "amortization", "--model", "bayesian-vae", "--iterations", "5", "--out", _dir);
        Assert.Equal(1, code);
        Assert.Contains("--iterations", error);
        (code, _, error) = Cli("experiment", "amortization", "--model", "linear", "--epochs", "5", "--out", _dir);
        Assert.Equal(1, code);
        Assert.Contains("--epochs", error);
        Assert.False(Directory.Exists(_dir));
    }

    [Fact]
    public void QuickRunOnFashionMnistWritesTheReport()
    {
        var (code, output, error) = Cli("experiment", "amortization", "--model", "bayesian-vae", "--quick", "--out", _dir);
        if (!ImageDatasets.IsInstalled("fashion-mnist"))
        {
            Assert.Equal(1, code);
            Assert.Contains("dataset-fashion-mnist", error);
            return;
        }
        Assert.True(code == 0, error + output);
        foreach (var file in new[] { "results.json", "amortization-bayesian-vae.md", "reconstruction.svg" })
            Assert.True(File.Exists(Path.Combine(_dir, file)), file);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "results.json")))!;
        Assert.Equal(60, (int)json["images"]!);
        var methods = json["runs"]!.AsArray().Select(r => (string)r!["method"]!).ToArray();
        Assert.Equal(["fvi", "avi-k1", "avi-k8", "const"], methods);
        foreach (var run in json["runs"]!.AsArray())
        {
            var errors = run!["reconstruction_error"]!.AsArray().Select(v => (double)v!).ToArray();
            Assert.Equal(4, errors.Length);
            // Fashion-MNIST intensities are in [0, 1] and their across-image variance is about 0.1: a first-epoch error
            // far outside [0.01, 1] would mean a broken decoder or data scaling.
            Assert.All(errors, e => Assert.InRange(e, 0.01, 1));
        }
        Assert.Contains("| fvi |", File.ReadAllText(Path.Combine(_dir, "amortization-bayesian-vae.md")));
    }
}
