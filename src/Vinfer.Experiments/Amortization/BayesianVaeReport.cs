using System.Globalization;
using System.Text;
using System.Text.Json;
using Vinfer.Experiments.Reports;

namespace Vinfer.Experiments.Amortization;

/// <summary>Renders a <see cref="BayesianVaeResult"/> as results.json, amortization-bayesian-vae.md and reconstruction.svg.</summary>
public static class BayesianVaeReport
{
    /// <summary>The paper's reference findings (Margossian and Blei 2024, as stated in issue 15).</summary>
    public const string Reference = "wide A-VI reaches F-VI's reconstruction about 1,000 epochs sooner (reconstruction error below 0.03 after about 1,700–1,800 epochs against 2,700 for F-VI); k = 1 and const plateau (≈ 0.05 and ≈ 0.087).";

    private static string F(double v, string format = "F4") => double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    /// <summary>The lowest reconstruction error of a run.</summary>
    public static double Best(BayesianVaeRun run) => run.ReconstructionError.Min();

    /// <summary>The machine-readable results.</summary>
    public static string ToJson(BayesianVaeResult result)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            var o = result.Options;
            w.WriteStartObject();
            w.WriteString("study", "amortization: Bayesian VAE, F-VI vs A-VI vs const (Margossian and Blei 2024)");
            w.WriteString("model", "bayesian-vae");
            w.WriteString("data", result.DataName);
            w.WriteNumber("images", o.Images);
            w.WriteNumber("pixels", result.Pixels);
            w.WriteNumber("batch_size", o.BatchSize);
            w.WriteNumber("epochs", o.Epochs);
            w.WriteNumber("latent_size", o.LatentSize);
            w.WriteString("decoder", $"{o.LatentSize}-{string.Join("-", o.DecoderHidden)}-{result.Pixels}, LeakyReLU(0.2), mean-field Gaussian weights, prior N(0, 1), initial log-sd {o.DecoderInitialLogScale.ToString(CultureInfo.InvariantCulture)}");
            w.WriteNumber("noise_scale", o.NoiseScale);
            w.WriteNumber("learning_rate", o.LearningRate);
            w.WriteNumber("samples", o.Samples);
            w.WriteNumber("threshold", o.Threshold);
            w.WriteNumber("seed", o.Seed);
            w.WriteNumber("seconds", result.Seconds);
            w.WriteStartArray("runs");
            foreach (var r in result.Runs)
            {
                w.WriteStartObject();
                w.WriteString("method", r.Method);
                w.WriteNumber("seconds", r.Seconds);
                if (r.EpochsToThreshold is int e) w.WriteNumber("epochs_to_threshold", e); else w.WriteNull("epochs_to_threshold");
                w.WriteNumber("final_reconstruction_error", r.ReconstructionError[^1]);
                w.WriteNumber("best_reconstruction_error", Best(r));
                w.WriteStartArray("epoch"); foreach (int i in r.Epochs) w.WriteNumberValue(i); w.WriteEndArray();
                w.WriteStartArray("reconstruction_error"); foreach (double v in r.ReconstructionError) w.WriteNumberValue(v); w.WriteEndArray();
                w.WriteStartArray("negative_elbo_per_image"); foreach (double v in r.NegativeElboPerImage) w.WriteNumberValue(v); w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>The Markdown report.</summary>
    public static string ToMarkdown(BayesianVaeResult result)
    {
        var o = result.Options;
        var sb = new StringBuilder();
        sb.AppendLine("# amortization: F-VI vs A-VI vs const, model `bayesian-vae`");
        sb.AppendLine();
        sb.AppendLine(FormattableString.Invariant($"{o.Images:N0} images of {result.DataName}, batch {o.BatchSize:N0} ({o.Images / o.BatchSize} steps per epoch), {o.Epochs:N0} epochs; z ∈ ℝ^{o.LatentSize}, decoder {o.LatentSize}-{string.Join("-", o.DecoderHidden)}-{result.Pixels} (LeakyReLU 0.2) with a mean-field Gaussian over its weights (prior N(0, 1), initial log-sd {o.DecoderInitialLogScale:G}); Gaussian likelihood with σ = {o.NoiseScale:G4}; Adam {o.LearningRate:G}; {o.Samples} draw(s) of (θ, z) per step; KL terms in closed form; −ELBO per image includes every normalizing constant. Reconstruction error: mean over training images and pixels of (f_E[θ](E[z_n]) − x_n)². Seed {o.Seed}; {result.Seconds:F0} s."));
        sb.AppendLine();
        sb.AppendLine($"Paper (Margossian and Blei 2024): {Reference}");
        sb.AppendLine();
        sb.AppendLine(FormattableString.Invariant($"| method | epochs until the error is below {o.Threshold:G} | error after the last epoch | lowest error | −ELBO per image (last epoch) | seconds |"));
        sb.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var r in result.Runs)
            sb.AppendLine(FormattableString.Invariant($"| {r.Method} | {(r.EpochsToThreshold is int e ? e.ToString("N0", CultureInfo.InvariantCulture) : "not within " + r.Epochs[^1].ToString("N0", CultureInfo.InvariantCulture))} | {F(r.ReconstructionError[^1])} | {F(Best(r))} | {F(r.NegativeElboPerImage[^1], "F1")} | {r.Seconds:F0} |"));
        sb.AppendLine();
        sb.AppendLine("Figure: `reconstruction.svg` (reconstruction error against epoch, every method).");
        return sb.ToString();
    }

    /// <summary>Reconstruction error against epoch, one line per method.</summary>
    public static string Figure(BayesianVaeResult result)
    {
        var chart = new SvgLineChart("bayesian-vae: reconstruction error against epoch", "epoch", "mean squared reconstruction error");
        foreach (var run in result.Runs)
            chart.AddSeries(run.Method, run.Epochs.Zip(run.ReconstructionError, (e, v) => ((double)e, v)));
        return chart.Render();
    }

    /// <summary>Every file of the study, by name.</summary>
    public static List<(string Name, string Content)> Files(BayesianVaeResult result) =>
    [
        ("results.json", ToJson(result)),
        ("amortization-bayesian-vae.md", ToMarkdown(result)),
        ("reconstruction.svg", Figure(result)),
    ];
}
