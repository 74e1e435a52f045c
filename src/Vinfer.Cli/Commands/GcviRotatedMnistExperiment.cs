using System.CommandLine;
using Vinfer.Cli.Infrastructure;
using Vinfer.Experiments.GlobalConvergence;
using Vinfer.IO;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>vinfer experiment gcvi-rotated-mnist --out DIR [--quick] [--images FILE] [--starts R] [--lp-steps T] [--iwbo-steps T] …</c>:
/// a shared rotation angle inferred by L_P and by the IWBO from several starts (<see cref="GcviRotatedMnistStudy"/>).
/// </summary>
public static class GcviRotatedMnistExperiment
{
    /// <summary>The subcommand.</summary>
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Output folder for results.json, gcvi-rotated-mnist.md and the PNG figures.", Required = true };
        var quick = new Option<bool>("--quick") { Description = "Smoke-run preset: 200 generator images for 2 epochs, 100 observed images, 4 starts, 40 L_P and 30 IWBO steps." };
        var images = new Option<string?>("--images") { Description = "An IDX file of 28×28 images to train the generator on (default: MNIST-10k's training split)." };
        var generatorImages = new Option<int?>("--generator-images") { Description = "Training images of the generator (default: all)." };
        var generatorEpochs = new Option<int?>("--generator-epochs") { Description = "Epochs of the generator's VAE training (default 15)." };
        var count = new Option<int?>("--images-count") { Description = "Observed images (default 1,000, as the paper)." };
        var starts = new Option<int?>("--starts") { Description = "Starts, evenly spaced from 0° (default 12, as the paper)." };
        var lpSteps = new Option<int?>("--lp-steps") { Description = "L_P steps per run (default 1,000)." };
        var lpSets = new Option<int?>("--lp-sets") { Description = "Simulated sets per L_P step (default 8)." };
        var lpSetSize = new Option<int?>("--lp-set-size") { Description = "Images per simulated set (default 16)." };
        var iwboSteps = new Option<int?>("--iwbo-steps") { Description = "IWBO steps per run (default 500)." };
        var iwboBatch = new Option<int?>("--iwbo-batch") { Description = "Observed images per IWBO step (default 32)." };
        var iwboSamples = new Option<int?>("--iwbo-samples") { Description = "Importance samples K per image (default 4)." };
        var lpRate = new Option<double?>("--lp-learning-rate") { Description = "Adam's learning rate for L_P (default 0.003)." };
        var outputScale = new Option<double?>("--output-scale") { Description = "Fixed factor of the L_P encoder's output (default 15)." };
        var angleRate = new Option<double?>("--angle-learning-rate") { Description = "Adam's learning rate for the IWBO's angle, radians (default 0.02)." };
        var only = new Option<string?>("--only") { Description = "Run one side only: lp or iwbo (default both)." };
        var seed = new Option<ulong>("--seed") { Description = "Seed.", DefaultValueFactory = _ => 2024UL };
        var command = new Command("gcvi-rotated-mnist", "Rotated MNIST: a shared angle by L_P and by the IWBO from 12 starts (McNamara, Loper and Regier 2024, §5.3).")
        {
            output, quick, images, generatorImages, generatorEpochs, count, starts, lpSteps, lpSets, lpSetSize, iwboSteps, iwboBatch, iwboSamples, lpRate, outputScale, angleRate, only, seed,
        };
        command.SetAction(pr => CliError.Guard(pr, () =>
        {
            var options = (pr.GetValue(quick) ? GcviRotatedMnistOptions.QuickPreset : new GcviRotatedMnistOptions()) with { Seed = pr.GetValue(seed), ImagesPath = pr.GetValue(images) };
            if (pr.GetValue(generatorImages) is int gi) options = options with { GeneratorImages = gi };
            if (pr.GetValue(generatorEpochs) is int ge) options = options with { GeneratorEpochs = ge };
            if (pr.GetValue(count) is int n) options = options with { Images = n };
            if (pr.GetValue(starts) is int r) options = options with { Starts = r };
            if (pr.GetValue(lpSteps) is int ls) options = options with { LpSteps = ls };
            if (pr.GetValue(lpSets) is int lt) options = options with { LpSets = lt };
            if (pr.GetValue(lpSetSize) is int lz) options = options with { LpSetSize = lz };
            if (pr.GetValue(iwboSteps) is int s) options = options with { IwboSteps = s };
            if (pr.GetValue(iwboBatch) is int b) options = options with { IwboBatch = b };
            if (pr.GetValue(iwboSamples) is int k) options = options with { IwboSamples = k };
            if (pr.GetValue(lpRate) is double lr) options = options with { LpLearningRate = lr };
            if (pr.GetValue(outputScale) is double c) options = options with { OutputScale = c };
            if (pr.GetValue(angleRate) is double ar) options = options with { AngleLearningRate = ar };
            if (pr.GetValue(only) is string side) options = options with { Objectives = side };
            options.Validate();
            if (options.ImagesPath is string path && !File.Exists(path)) throw new ArgumentException($"--images: '{path}' does not exist.");
            string directory = pr.GetValue(output)!;
            if (File.Exists(directory)) throw new ArgumentException($"--out: '{directory}' is a file, not a folder.");
            var stdout = pr.InvocationConfiguration.Output;
            var result = GcviRotatedMnistStudy.Run(options, line => stdout.WriteLine(line));
            var (text, pngs) = GcviRotatedMnistReport.Files(result);
            AtomicFile.WriteAll(text.Select(f => (Path.Combine(directory, f.Name), f.Content)).ToList());
            foreach (var (name, bytes) in pngs) AtomicFile.WriteBytes(Path.Combine(directory, name), bytes);
            stdout.WriteLine($"wrote {string.Join(", ", text.Select(f => f.Name).Concat(pngs.Select(p => p.Name)).Select(f => Path.Combine(directory, f)))}");
            return 0;
        }));
        return command;
    }
}
