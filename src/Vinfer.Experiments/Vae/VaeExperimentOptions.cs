using System.Text.Json.Nodes;
using Vinfer.Data;
using Vinfer.Models.Vae;

namespace Vinfer.Experiments.Vae;

/// <summary>
/// Settings of one VAE training run (<see cref="VaeExperiment"/>): data set, objective, K, stochastic layers, epochs,
/// seed and the evaluation budget. <see cref="Quick"/> is the CI preset: a few hundred training images, 2 epochs and
/// 100 importance samples for the test log-likelihood.
/// </summary>
public sealed record VaeExperimentOptions
{
    /// <summary><c>mnist</c>, <c>fashion-mnist</c> or <c>idx</c> (images from <see cref="ImagesPath"/>).</summary>
    public string Dataset { get; init; } = "mnist";

    /// <summary>The IDX image file of the <c>idx</c> data set (split 80/10/10 with the fixed seed).</summary>
    public string? ImagesPath { get; init; }

    /// <summary>elbo, iwae, vr (α = 0.5) or vr-max.</summary>
    public string Objective { get; init; } = "iwae";

    /// <summary>Importance samples per data point in training.</summary>
    public int K { get; init; } = 5;

    /// <summary>Stochastic layers, 1 or 2.</summary>
    public int Layers { get; init; } = 1;

    /// <summary>Training epochs (passes over the training set).</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Seed of the initial weights, the batches, the binarization and the evaluation draws.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Use the doubly reparameterized gradient (IWAE only).</summary>
    public bool DoublyReparameterized { get; init; }

    /// <summary>Mini-batch size.</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>Adam's learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Importance samples of the final test log-likelihood (5,000 in Burda et al.).</summary>
    public int EvaluationSamples { get; init; } = 5000;

    /// <summary>Importance samples of the per-epoch validation and test estimates of the learning curve.</summary>
    public int CurveSamples { get; init; } = 50;

    /// <summary>Use only this many training images (all when null).</summary>
    public int? TrainImages { get; init; }

    /// <summary>Evaluate on only this many test and validation images (all when null).</summary>
    public int? TestImages { get; init; }

    /// <summary>The networks' arithmetic: <c>float64</c> (default) or <c>float32</c> (<see cref="Nn.Precision.Float32"/>: float32
    /// layers and likelihood, float64 master weights and bounds).</summary>
    public string Precision { get; init; } = "float64";

    /// <summary>The precision as the enum.</summary>
    public Nn.Precision PrecisionKind => Precision switch
    {
        "float64" => Nn.Precision.Float64,
        "float32" => Nn.Precision.Float32,
        _ => throw new ArgumentException($"--precision: must be float64 or float32, got '{Precision}'."),
    };

    /// <summary>True for the CI preset.</summary>
    public bool Quick { get; init; }

    /// <summary>The CI preset applied to these settings.</summary>
    public VaeExperimentOptions WithQuick() => this with
    {
        Quick = true, Epochs = Math.Min(Epochs, 2), TrainImages = Math.Min(TrainImages ?? 400, 400), TestImages = Math.Min(TestImages ?? 100, 100),
        EvaluationSamples = Math.Min(EvaluationSamples, 100), CurveSamples = Math.Min(CurveSamples, 10),
    };

    /// <summary>The objective as an enum.</summary>
    public VaeObjective ObjectiveKind => Objective switch
    {
        "elbo" => VaeObjective.Elbo,
        "iwae" => VaeObjective.Iwae,
        "vr" => VaeObjective.RenyiHalf,
        "vr-max" => VaeObjective.RenyiMax,
        _ => throw new ArgumentException($"--objective: unknown objective '{Objective}'; expected elbo, iwae, vr or vr-max."),
    };

    /// <summary>Throws one ArgumentException naming the first bad setting and its value.</summary>
    public void Validate()
    {
        if (Dataset is not ("mnist" or "fashion-mnist" or "idx"))
            throw new ArgumentException($"--dataset: unknown dataset '{Dataset}'; expected mnist, fashion-mnist or idx.");
        if (Dataset == "idx" && string.IsNullOrEmpty(ImagesPath)) throw new ArgumentException("--dataset idx needs --images FILE (an IDX file of 28×28 images).");
        _ = ObjectiveKind;
        _ = PrecisionKind;
        if (K < 1) throw new ArgumentException($"--k: importance samples must be at least 1, got {K}.");
        if (Layers is not (1 or 2)) throw new ArgumentException($"--layers: stochastic layers must be 1 or 2, got {Layers}.");
        if (Epochs < 1) throw new ArgumentException($"--epochs: must be at least 1, got {Epochs}.");
        if (BatchSize < 1) throw new ArgumentException($"--batch-size: must be at least 1, got {BatchSize}.");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentException($"--learning-rate: must be positive and finite, got {LearningRate}.");
        if (EvaluationSamples < 1) throw new ArgumentException($"--eval-samples: must be at least 1, got {EvaluationSamples}.");
        if (CurveSamples < 1) throw new ArgumentException($"--curve-samples: must be at least 1, got {CurveSamples}.");
        if (TrainImages is < 1) throw new ArgumentException($"--train-images: must be at least 1, got {TrainImages}.");
        if (TestImages is < 2) throw new ArgumentException($"--test-images: must be at least 2, got {TestImages}.");
        if (DoublyReparameterized && !(ObjectiveKind == VaeObjective.Iwae || (ObjectiveKind == VaeObjective.Elbo && K == 1)))
            throw new ArgumentException($"--dreg: the doubly reparameterized gradient needs --objective iwae (or elbo with k = 1), got {Objective} with k = {K}.");
    }

    /// <summary>The settings that must match for a checkpoint to be resumed (everything but the number of epochs).</summary>
    public JsonObject Fingerprint()
    {
        var fingerprint = new JsonObject
        {
        ["dataset"] = Dataset, ["images"] = ImagesPath is null ? null : Path.GetFullPath(ImagesPath), ["objective"] = Objective, ["k"] = K,
        ["layers"] = Layers, ["seed"] = Seed, ["dreg"] = DoublyReparameterized, ["batch_size"] = BatchSize, ["learning_rate"] = LearningRate,
        ["train_images"] = TrainImages, ["quick"] = Quick,
        };
        // only when not the default, so that float64 checkpoints written before the option existed still resume
        if (PrecisionKind != Nn.Precision.Float64) fingerprint["precision"] = Precision;
        return fingerprint;
    }

    /// <summary>Loads and splits the data set, checks the image size against the 784-input network and trims to the set sizes.</summary>
    public ImageSplit LoadData()
    {
        ImageSplit split;
        if (Dataset == "idx")
        {
            var images = IdxFile.Read(ImagesPath!);
            if (images.Dimensions.Count != 3)
                throw new DataFormatException($"IDX file '{ImagesPath}': images need 3 dimensions [count, rows, columns], got [{string.Join(", ", images.Dimensions)}].");
            var pixels = images.Values.Select(b => b / 255.0).ToArray();
            var set = new ImageSet(Path.GetFileName(ImagesPath!), images.Dimensions[1], images.Dimensions[2], pixels, null);
            if (set.PixelCount != 784)
                throw new DataFormatException($"IDX file '{ImagesPath}': images are {set.Rows}×{set.Columns} = {set.PixelCount} pixels but the network takes 28×28 = 784.");
            int tenth = Math.Max(2, set.Count / 10);
            if (set.Count < 2 * tenth + 1)
                throw new DataFormatException($"IDX file '{ImagesPath}': {set.Count} images are too few to split into training, validation and test sets.");
            split = set.Split(tenth, tenth, ImageDatasets.SplitSeed);
        }
        else
        {
            if (!ImageDatasets.IsInstalled(Dataset))
                throw new InvalidOperationException($"dataset '{Dataset}' is not installed; run `vinfer data fetch {Dataset}` or: {ImageDatasets.FetchCommand(Dataset)}");
            split = ImageDatasets.Load(Dataset);
        }
        var train = TrainImages is int n ? split.Train.Take(n) : split.Train;
        var validation = TestImages is int t ? split.Validation.Take(t) : split.Validation;
        var test = TestImages is int u ? split.Test.Take(u) : split.Test;
        return new ImageSplit(train, validation, test);
    }
}
