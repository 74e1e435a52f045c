using System.Globalization;
using System.Text;
using System.Text.Json;
using ScottPlot;
using Vinfer.Experiments.Vae;
using Vinfer.Experiments.Reports;

namespace Vinfer.Experiments.GlobalConvergence;

/// <summary>
/// Renders a <see cref="GcviRotatedMnistResult"/> as results.json, gcvi-rotated-mnist.md and PNG figures: the angle
/// along every run (lp-angles.png, iwbo-angles.png, drawn with ScottPlot, as the paper's Figures 4–6), the first 100
/// observed images (observed.png, Figure 3) and unrotated generator samples (generator.png).
/// </summary>
public static class GcviRotatedMnistReport
{
    /// <summary>The band the L_P runs must end in (the paper: every run ends near 260°).</summary>
    public const double BandLow = 240, BandHigh = 280;

    private static string F(double v, string format = "F1") => double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    /// <summary>True when a final angle lies in [240°, 280°].</summary>
    public static bool InBand(double degrees) => degrees >= BandLow && degrees <= BandHigh;

    /// <summary>The machine-readable results.</summary>
    public static string ToJson(GcviRotatedMnistResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var o = result.Options;
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("study", "gcvi-rotated-mnist: L_P vs IWBO for a shared rotation angle (McNamara, Loper and Regier 2024, section 5.3)");
            w.WriteBoolean("quick", o.Quick);
            w.WriteNumber("true_angle_degrees", o.TrueAngleDegrees);
            w.WriteNumber("images", o.Images);
            w.WriteNumber("observation_noise", o.ObservationNoise);
            w.WriteNumber("generator_training_images", result.GeneratorTrainingImages);
            w.WriteNumber("generator_epochs", o.GeneratorEpochs);
            w.WriteNumber("generator_noise", o.GeneratorNoise);
            w.WriteNumber("generator_seconds", result.GeneratorSeconds);
            w.WriteStartArray("generator_negative_elbo"); foreach (double v in result.GeneratorNegativeElbo) w.WriteNumberValue(v); w.WriteEndArray();
            w.WriteNumber("starts", o.Starts);
            w.WriteNumber("lp_steps", o.LpSteps);
            w.WriteNumber("lp_sets_per_step", o.LpSets);
            w.WriteNumber("lp_set_size", o.LpSetSize);
            w.WriteNumber("lp_learning_rate", o.LpLearningRate);
            w.WriteNumber("offset_concentration", o.OffsetConcentration);
            w.WriteNumber("iwbo_steps", o.IwboSteps);
            w.WriteNumber("iwbo_batch", o.IwboBatch);
            w.WriteNumber("iwbo_samples", o.IwboSamples);
            w.WriteNumber("iwbo_learning_rate", o.IwboLearningRate);
            w.WriteNumber("angle_learning_rate", o.AngleLearningRate);
            w.WriteString("objectives", o.Objectives);
            w.WriteNumber("seed", o.Seed);
            w.WriteNumber("seconds", result.Seconds);
            ReportJson.Number(w, "load_average_start", result.LoadAverageStart);
            ReportJson.Number(w, "load_average_end", result.LoadAverageEnd);
            var lp = result.Runs.Where(r => r.Objective == "lp").ToList();
            var iwbo = result.Runs.Where(r => r.Objective == "iwbo").ToList();
            w.WriteNumber("lp_runs_in_band", lp.Count(r => InBand(r.FinalAngleDegrees)));
            w.WriteNumber("iwbo_runs_in_band", iwbo.Count(r => InBand(r.FinalAngleDegrees)));
            w.WriteStartArray("runs");
            foreach (var r in result.Runs)
            {
                w.WriteStartObject();
                w.WriteString("objective", r.Objective);
                w.WriteNumber("start_degrees", r.StartDegrees);
                ReportJson.Number(w, "final_angle_degrees", r.FinalAngleDegrees);
                w.WriteBoolean("in_band", InBand(r.FinalAngleDegrees));
                ReportJson.Number(w, "final_concentration", r.FinalConcentration);
                ReportJson.Number(w, "final_loss", r.FinalLoss);
                w.WriteNumber("seconds", r.Seconds);
                w.WriteStartArray("steps"); foreach (int s in r.Steps) w.WriteNumberValue(s); w.WriteEndArray();
                ReportJson.Numbers(w, "angle_degrees", r.AngleDegrees);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>The Markdown report: settings, every run's final angle beside the paper's finding.</summary>
    public static string ToMarkdown(GcviRotatedMnistResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var o = result.Options;
        var lp = result.Runs.Where(r => r.Objective == "lp").ToList();
        var iwbo = result.Runs.Where(r => r.Objective == "iwbo").ToList();
        var sb = new StringBuilder();
        sb.AppendLine("# gcvi-rotated-mnist: a shared rotation angle, L_P against the IWBO");
        sb.AppendLine();
        sb.AppendLine(FormattableString.Invariant($"Generator: decoder 64→256→256→784 (ReLU, tanh output) trained as a Gaussian VAE (sd {o.GeneratorNoise:G}) on {result.GeneratorTrainingImages} images for {o.GeneratorEpochs} epochs ({result.GeneratorSeconds:F0} s; final negative ELBO {F(result.GeneratorNegativeElbo[^1])} nats per image)."));
        sb.AppendLine(FormattableString.Invariant($"Observed set: {o.Images} images rotate(G(zᵢ), θ) + {o.ObservationNoise:G}·ε at θ = {o.TrueAngleDegrees:G}° (the paper: 1,000 images, 260°, 0.01)."));
        sb.AppendLine(FormattableString.Invariant($"L_P: {o.LpSteps} Adam steps (lr {o.LpLearningRate:G}) of {o.LpSets} fresh simulated sets × {o.LpSetSize} images per step; q's initial mode at each offset (κ₀ = {o.OffsetConcentration:G}); the angle is q's mode on the observed set."));
        sb.AppendLine(FormattableString.Invariant($"IWBO: {o.IwboSteps} Adam steps (encoder lr {o.IwboLearningRate:G}, angle lr {o.AngleLearningRate:G} rad) on minibatches of {o.IwboBatch} observed images, K = {o.IwboSamples}; the angle is the parameter θ."));
        string load = result.LoadAverageStart is double a && result.LoadAverageEnd is double b ? FormattableString.Invariant($"; load average {a:F2} at the start, {b:F2} at the end") : "";
        sb.AppendLine(FormattableString.Invariant($"{result.Seconds:F0} s in all{load}."));
        sb.AppendLine();
        sb.AppendLine("Paper: every L_P run ends near 260° whatever its start; the IWBO's end depends on its start (some runs stuck in shallow optima).");
        sb.AppendLine();
        sb.AppendLine(FormattableString.Invariant($"L_P runs ending in [{BandLow:F0}°, {BandHigh:F0}°]: **{lp.Count(r => InBand(r.FinalAngleDegrees))} of {lp.Count}**; IWBO runs: **{iwbo.Count(r => InBand(r.FinalAngleDegrees))} of {iwbo.Count}**."));
        sb.AppendLine();
        sb.AppendLine("| start | L_P final mode | L_P κ | IWBO final θ | IWBO −bound per image |");
        sb.AppendLine("|---:|---:|---:|---:|---:|");
        foreach (double start in lp.Select(r => r.StartDegrees).Union(iwbo.Select(r => r.StartDegrees)).OrderBy(s => s))
        {
            var l = lp.FirstOrDefault(r => r.StartDegrees == start);
            var i = iwbo.FirstOrDefault(r => r.StartDegrees == start);
            sb.AppendLine($"| {F(start, "F0")}° | {(l is null ? "" : F(l.FinalAngleDegrees) + "°")} | {(l is null ? "" : F(l.FinalConcentration))} | {(i is null ? "" : F(i.FinalAngleDegrees) + "°")} | {(i is null ? "" : F(i.FinalLoss, "F0"))} |");
        }
        sb.AppendLine();
        sb.AppendLine("Figures: `lp-angles.png` and `iwbo-angles.png` (the angle along each run, unwrapped; the dashed lines are 260° ± 360°), `observed.png` (the first 100 observed images), `generator.png` (unrotated generator samples).");
        return sb.ToString();
    }

    /// <summary>The angle trajectories of one objective as a PNG drawn by ScottPlot.</summary>
    public static byte[] AnglePlot(GcviRotatedMnistResult result, string objective, string title)
    {
        ArgumentNullException.ThrowIfNull(result);
        var plot = new Plot();
        plot.Title(title, size: 14);
        plot.XLabel("step", size: 12);
        plot.YLabel("angle (degrees, unwrapped)", size: 12);
        var runs = result.Runs.Where(r => r.Objective == objective).ToList();
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        foreach (var run in runs)
        {
            var xs = run.Steps.Select(s => (double)s).ToArray();
            var ys = run.AngleDegrees.ToArray();
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = FormattableString.Invariant($"start {run.StartDegrees:F0}°");
            line.MarkerSize = 4;
            line.LineWidth = 1.5f;
            foreach (double y in ys.Where(double.IsFinite)) { low = Math.Min(low, y); high = Math.Max(high, y); }
        }
        if (double.IsFinite(low))
            for (double target = result.Options.TrueAngleDegrees - 720; target <= result.Options.TrueAngleDegrees + 720; target += 360)
                if (target >= low - 60 && target <= high + 60)
                {
                    var reference = plot.Add.HorizontalLine(target);
                    reference.LinePattern = LinePattern.Dashed;
                    reference.Color = Colors.Red;
                }
        plot.ShowLegend(Edge.Right);   // beside the plot: the runs end at the right edge
        return plot.GetImageBytes(1000, 560, ImageFormat.Png);
    }

    /// <summary>Every file of the study: text files by name and content, PNG files by name and bytes.</summary>
    public static (List<(string Name, string Content)> Text, List<(string Name, byte[] Bytes)> Images) Files(GcviRotatedMnistResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        int rows = (result.ObservedSampleCount + 9) / 10;
        return ([("results.json", ToJson(result)), ("gcvi-rotated-mnist.md", ToMarkdown(result))],
        [
            ("lp-angles.png", AnglePlot(result, "lp", "L_P: mode of q(θ | observed set) from each offset")),
            ("iwbo-angles.png", AnglePlot(result, "iwbo", "IWBO: θ from each initial angle")),
            ("observed.png", GrayscalePng.Grid(result.ObservedSample, 28, 28, rows, 10)),
            ("generator.png", GrayscalePng.Grid(result.GeneratedSample, 28, 28, rows, 10)),
        ]);
    }
}
