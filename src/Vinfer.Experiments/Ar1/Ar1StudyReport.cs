using System.Globalization;
using System.Text;
using System.Text.Json;
using Vinfer.Experiments.Reports;

using Vinfer.StateSpace;

namespace Vinfer.Experiments.Ar1;

/// <summary>Renders an <see cref="Ar1StudyResult"/> as results.json, a markdown box-plot table and SVG box-plot figures.</summary>
public static class Ar1StudyReport
{
    private static readonly (string Key, string Label, Func<Ar1NoiseModel, double> Get, Func<Ar1NoiseModel, double> Truth)[] Quantities =
    [
        ("psi", "ψ", m => m.Psi, t => t.Psi),
        ("zeta", "ζ", m => m.Zeta, t => t.Zeta),
        ("sigma_h2", "σ_h²", m => m.SigmaH2, t => t.SigmaH2),
        ("sigma_v2", "σ_v²", m => m.SigmaV2, t => t.SigmaV2),
        ("signal_variance", "ζ²σ_h²/(1−ψ²)", m => m.SignalVariance, t => t.SignalVariance),
    ];

    /// <summary>The machine-readable results (UTF-8 JSON; non-finite numbers are written as null).</summary>
    public static string ToJson(Ar1StudyResult result)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            var o = result.Options;
            w.WriteStartObject();
            w.WriteString("study", "ar1-plus-noise: EM vs mean-field VEM (Bertholom & Roueff 2025, section 3)");
            w.WriteStartObject("options");
            w.WriteNumber("budget_seconds", o.BudgetSeconds);
            w.WriteNumber("repetitions", o.Repetitions);
            w.WriteNumber("seed", o.Seed);
            WriteArray(w, "lengths", o.Lengths.Select(x => (double)x));
            WriteArray(w, "iteration_counts", o.IterationCounts.Select(x => (double)x));
            w.WriteStartArray("methods");
            foreach (string m in o.Methods) w.WriteStringValue(m);
            w.WriteEndArray();
            w.WritePropertyName("truth");
            WriteParameters(w, o.Truth);
            w.WriteNumber("x0", o.X0);
            w.WriteEndObject();
            w.WriteNumber("wall_seconds", result.WallSeconds);

            w.WriteStartArray("datasets");
            foreach (var d in result.Datasets)
            {
                w.WriteStartObject();
                w.WriteNumber("t", d.Length);
                Number(w, "true_log_likelihood", d.TrueLogLikelihood);
                w.WriteStartArray("converged_fits_from_truth");
                foreach (var f in d.ConvergedFits)
                {
                    w.WriteStartObject();
                    w.WriteString("method", f.Method);
                    w.WritePropertyName("parameters");
                    WriteParameters(w, f.Parameters);
                    Number(w, "log_likelihood", f.LogLikelihood);
                    Number(w, "elbo", f.Elbo);
                    Number(w, "variational_gap", f.VariationalGap);
                    w.WriteNumber("iterations", f.Iterations);
                    w.WriteBoolean("converged", f.Converged);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();

            w.WriteStartArray("results");
            foreach (int length in o.Lengths)
            {
                w.WriteStartObject();
                w.WriteNumber("t", length);
                if (o.Methods.Contains("em") && o.Methods.Contains("vem"))
                    Number(w, "cost_ratio_em_over_vem", result.CostRatio(length, "em", "vem"));
                w.WriteStartObject("methods");
                foreach (string method in o.Methods.Distinct())
                {
                    w.WriteStartObject(method);
                    Number(w, "seconds_per_iteration", result.SecondsPerIteration(length, method));
                    w.WriteStartArray("cells");
                    foreach (var c in result.Cells.Where(c => c.Length == length && c.Method == method))
                    {
                        w.WriteStartObject();
                        w.WriteNumber("iterations_per_run", c.IterationsPerRun);
                        w.WriteStartObject("runs_per_budget");
                        w.WriteNumber("mean", c.MeanRuns);
                        w.WriteNumber("min", c.Runs.Min());
                        w.WriteNumber("max", c.Runs.Max());
                        w.WriteEndObject();
                        Number(w, "seconds_per_iteration", c.SecondsPerIteration);
                        w.WriteStartObject("estimates");
                        foreach (var q in Quantities)
                            WriteBox(w, q.Key, c.Estimates.Select(q.Get).ToArray());
                        w.WriteEndObject();
                        WriteBox(w, "log_likelihood", c.LogLikelihoods.ToArray());
                        WriteBox(w, "variational_gap", c.VariationalGaps.ToArray());
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>Markdown: per length, timing and gap summary, then one box-plot quantile table per estimated quantity.</summary>
    public static string ToMarkdown(Ar1StudyResult result)
    {
        var o = result.Options;
        var sb = new StringBuilder();
        Line(sb, $"# AR(1)-plus-noise study: EM vs mean-field VEM");
        Line(sb, $"");
        Line(sb, $"Budget {o.BudgetSeconds:G4} s of algorithm (thread CPU) time per experiment, {o.Repetitions} repetitions, seed {o.Seed}; truth {o.Truth}, x0 = {o.X0:G4}, ζ²σ_h²/(1−ψ²) = {o.Truth.SignalVariance:G6}. Wall time {result.WallSeconds:F1} s.");
        Line(sb, $"Box columns are quantiles over the repetitions of the best-of-budget estimate (linear interpolation).");
        foreach (var d in result.Datasets)
        {
            int length = d.Length;
            Line(sb, $"");
            Line(sb, $"## T = {length}");
            Line(sb, $"");
            Line(sb, $"log p at the true θ: {d.TrueLogLikelihood:F3}. Long fits from the true θ (up to 20000 iterations, relative tolerance 1e-9):");
            Line(sb, $"");
            Line(sb, $"| method | ψ | ζ | σ_h² | σ_v² | ζ²σ_h²/(1−ψ²) | log p | ELBO | gap | iterations |");
            Line(sb, $"|---|---|---|---|---|---|---|---|---|---|");
            foreach (var f in d.ConvergedFits)
            {
                var p = f.Parameters;
                Line(sb, $"| {f.Method} | {p.Psi:F4} | {p.Zeta:F4} | {p.SigmaH2:F4} | {p.SigmaV2:F4} | {p.SignalVariance:F4} | {f.LogLikelihood:F3} | {f.Elbo:F3} | {f.VariationalGap:G3} | {f.Iterations}{(f.Converged ? "" : " (not converged)")} |");
            }
            Line(sb, $"");
            if (o.Methods.Contains("em") && o.Methods.Contains("vem"))
                Line(sb, $"Per-iteration cost: EM {result.SecondsPerIteration(length, "em") * 1e6:F2} µs, VEM {result.SecondsPerIteration(length, "vem") * 1e6:F2} µs; ratio EM/VEM = {result.CostRatio(length, "em", "vem"):F2}.");
            Line(sb, $"");
            Line(sb, $"| method | iterations/run | mean runs/budget | µs/iteration | median log p | median gap |");
            Line(sb, $"|---|---|---|---|---|---|");
            foreach (var c in result.Cells.Where(c => c.Length == length))
                Line(sb, $"| {c.Method} | {c.IterationsPerRun} | {c.MeanRuns:F1} | {c.SecondsPerIteration * 1e6:F2} | {Median(c.LogLikelihoods):F3} | {Median(c.VariationalGaps):G3} |");
            foreach (var q in Quantities)
            {
                Line(sb, $"");
                Line(sb, $"### {q.Label} (T = {length}, true {q.Truth(o.Truth):G5})");
                Line(sb, $"");
                Line(sb, $"| iterations/run | method | min | q1 | median | q3 | max |");
                Line(sb, $"|---|---|---|---|---|---|---|");
                foreach (int k in o.IterationCounts)
                    foreach (var c in result.Cells.Where(c => c.Length == length && c.IterationsPerRun == k))
                    {
                        var b = BoxStatistics.FromSample(c.Estimates.Select(q.Get).ToArray());
                        if (b is null) Line(sb, $"| {k} | {c.Method} | – | – | – | – | – |");
                        else Line(sb, $"| {k} | {c.Method} | {b.Minimum:G4} | {b.LowerQuartile:G4} | {b.Median:G4} | {b.UpperQuartile:G4} | {b.Maximum:G4} |");
                    }
            }
        }
        return sb.ToString();
    }

    /// <summary>The SVG box-plot figure for one length: a panel per quantity, groups by iterations per run, runs per budget below.</summary>
    public static string ToSvg(Ar1StudyResult result, int length)
    {
        var o = result.Options;
        var methods = o.Methods.Distinct().ToList();
        var plot = new SvgBoxPlot(
            FormattableString.Invariant($"AR(1)+noise, T = {length}: best-of-budget estimates over {o.Repetitions} repetitions ({o.BudgetSeconds:G3} s budget)"),
            o.IterationCounts.Select(k => k.ToString(CultureInfo.InvariantCulture)).ToList(), methods,
            "iterations per run (numbers: mean runs per budget)");
        foreach (var q in Quantities)
        {
            int panel = plot.AddPanel(q.Label, q.Truth(o.Truth));
            for (int ki = 0; ki < o.IterationCounts.Count; ki++)
                for (int mi = 0; mi < methods.Count; mi++)
                {
                    var cell = result.Cells.FirstOrDefault(c => c.Length == length && c.Method == methods[mi] && c.IterationsPerRun == o.IterationCounts[ki]);
                    if (cell is null) continue;
                    plot.SetBox(panel, ki, mi, BoxStatistics.FromSample(cell.Estimates.Select(q.Get).ToArray()),
                        cell.MeanRuns.ToString(cell.MeanRuns >= 100 ? "F0" : "F1", CultureInfo.InvariantCulture));
                }
        }
        int gapPanel = plot.AddPanel("variational gap log p − ELBO at the estimate");
        for (int ki = 0; ki < o.IterationCounts.Count; ki++)
            for (int mi = 0; mi < methods.Count; mi++)
            {
                var cell = result.Cells.FirstOrDefault(c => c.Length == length && c.Method == methods[mi] && c.IterationsPerRun == o.IterationCounts[ki]);
                if (cell is not null) plot.SetBox(gapPanel, ki, mi, BoxStatistics.FromSample(cell.VariationalGaps.ToArray()));
            }
        return plot.Render();
    }

    private static double Median(IEnumerable<double> values) =>
        BoxStatistics.FromSample(values.ToArray())?.Median ?? double.NaN;

    private static void WriteParameters(Utf8JsonWriter w, Ar1NoiseModel p)
    {
        w.WriteStartObject();
        Number(w, "psi", p.Psi);
        Number(w, "zeta", p.Zeta);
        Number(w, "sigma_h2", p.SigmaH2);
        Number(w, "sigma_v2", p.SigmaV2);
        Number(w, "signal_variance", p.SignalVariance);
        w.WriteEndObject();
    }

    private static void WriteBox(Utf8JsonWriter w, string name, double[] sample)
    {
        var b = BoxStatistics.FromSample(sample);
        w.WriteStartObject(name);
        w.WriteNumber("count", b?.Count ?? 0);
        Number(w, "min", b?.Minimum ?? double.NaN);
        Number(w, "q1", b?.LowerQuartile ?? double.NaN);
        Number(w, "median", b?.Median ?? double.NaN);
        Number(w, "q3", b?.UpperQuartile ?? double.NaN);
        Number(w, "max", b?.Maximum ?? double.NaN);
        Number(w, "mean", b?.Mean ?? double.NaN);
        w.WriteEndObject();
    }

    private static void WriteArray(Utf8JsonWriter w, string name, IEnumerable<double> values)
    {
        w.WriteStartArray(name);
        foreach (double v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }

    private static void Number(Utf8JsonWriter w, string name, double value) => ReportJson.Number(w, name, value);

    private static void Line(StringBuilder sb, FormattableString text) => sb.Append(text.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
