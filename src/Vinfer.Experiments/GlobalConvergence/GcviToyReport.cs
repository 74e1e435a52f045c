using System.Globalization;
using System.Text;
using System.Text.Json;
using Vinfer.Experiments.Reports;

namespace Vinfer.Experiments.GlobalConvergence;

/// <summary>Renders a <see cref="GcviToyResult"/> as results.json, gcvi-toy.md and SVG figures.</summary>
public static class GcviToyReport
{
    /// <summary>The paper's population NLL of the exact posterior, ½ log(2πe·0.25).</summary>
    public const double ReferenceExactNll = 0.7258;

    /// <summary>The paper's NLL of the best von Mises.</summary>
    public const double ReferenceBestVonMisesNll = 0.7277;

    private static string F(double v) => double.IsFinite(v) ? v.ToString("F4", CultureInfo.InvariantCulture) : "n/a";
    private static string G(double v) => double.IsFinite(v) ? v.ToString("G3", CultureInfo.InvariantCulture) : "n/a";

    /// <summary>The machine-readable results.</summary>
    public static string ToJson(GcviToyResult result)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("study", "gcvi-toy: L_P with an NTK-scaled network and its linearization, von Mises q (McNamara, Loper and Regier 2024, toy problem)");
            w.WriteNumber("seed", result.Options.Seed);
            w.WriteNumber("steps", result.Options.Steps);
            w.WriteNumber("pairs_per_step", result.Options.PairsPerStep);
            w.WriteNumber("test_pairs", result.Options.TestPairs);
            w.WriteString("learning_rate", FormattableString.Invariant($"1/({result.Options.RateOffset} + t*{result.Options.RateSlope})"));
            w.WriteNumber("exact_posterior_test_nll", result.ExactPosteriorTestNll);
            w.WriteNumber("exact_posterior_population_nll", result.ExactPosteriorPopulationNll);
            w.WriteNumber("best_von_mises_population_nll", result.BestVonMisesPopulationNll);
            w.WriteNumber("best_von_mises_test_nll", result.BestVonMisesTestNll);
            w.WriteNumber("best_von_mises_concentration", result.BestVonMisesConcentration);
            w.WriteNumber("reference_exact_nll", ReferenceExactNll);
            w.WriteNumber("reference_best_von_mises_nll", ReferenceBestVonMisesNll);
            w.WriteNumber("seconds", result.Seconds);
            w.WriteStartArray("runs");
            foreach (var r in result.Runs)
            {
                w.WriteStartObject();
                w.WriteNumber("width", r.Width);
                w.WriteBoolean("linearized", r.Linearized);
                w.WriteNumber("seconds", r.Seconds);
                Array(w, "steps", r.Steps.Select(s => (double)s));
                Array(w, "test_nll", r.TestNll);
                Array(w, "jacobian_drift", r.JacobianDrift);
                Array(w, "kernel_drift", r.KernelDrift);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void Array(Utf8JsonWriter w, string name, IEnumerable<double> values) => ReportJson.Numbers(w, name, values);

    /// <summary>The Markdown report: final NLLs beside the references, network against linearization, drift by width.</summary>
    public static string ToMarkdown(GcviToyResult result)
    {
        var o = result.Options;
        var sb = new StringBuilder();
        sb.AppendLine("# gcvi-toy: globally convergent VI on the von Mises toy problem");
        sb.AppendLine();
        sb.AppendLine(FormattableString.Invariant($"θ ∼ U(0, 2π), ε ∼ N(0, 0.5²), x = (cos(θ+ε), sin(θ+ε)); q(θ | x) von Mises with natural parameters f(x; φ) + 10⁻⁴; f(x) = W₂ReLU(W₁x)/√p (W₁ ∼ N(0, 1), W₂ = 0) or its linearization around φ₀; L_P on {o.PairsPerStep} fresh pairs per step, Adam with lr_t = 1/({o.RateOffset:G} + t·{o.RateSlope:G}), {o.Steps:N0} steps (the paper: 200,000), seed {o.Seed}. Test NLL on {o.TestPairs:N0} fixed pairs; drift ‖J_t − J₀‖_F/‖J₀‖_F and ‖K_t − K₀‖_F/‖K₀‖_F on {o.ProbeInputs} test inputs. Total {result.Seconds:F0} s."));
        sb.AppendLine();
        sb.AppendLine("| reference | paper | Vinfer |");
        sb.AppendLine("|---|---:|---:|");
        sb.AppendLine($"| exact posterior, population NLL | {F(ReferenceExactNll)} | {F(result.ExactPosteriorPopulationNll)} (wrapped normal, quadrature) |");
        sb.AppendLine($"| exact posterior, NLL on this test set | — | {F(result.ExactPosteriorTestNll)} |");
        sb.AppendLine($"| best von Mises, population NLL | {F(ReferenceBestVonMisesNll)} | {F(result.BestVonMisesPopulationNll)} (κ = {F(result.BestVonMisesConcentration)}) |");
        sb.AppendLine($"| best von Mises, NLL on this test set | — | {F(result.BestVonMisesTestNll)} |");
        sb.AppendLine();
        sb.AppendLine("| p | network test NLL | linearization test NLL | abs(net − lin) | network − exact (test set) | network − best von Mises (test set) | J drift | K drift | seconds (net + lin) |");
        sb.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (int width in o.Widths)
        {
            var net = result.Runs.First(r => r.Width == width && !r.Linearized);
            var lin = result.Runs.First(r => r.Width == width && r.Linearized);
            sb.AppendLine($"| {width} | {F(net.TestNll[^1])} | {F(lin.TestNll[^1])} | {G(Math.Abs(net.TestNll[^1] - lin.TestNll[^1]))} | {G(net.TestNll[^1] - result.ExactPosteriorTestNll)} | {G(net.TestNll[^1] - result.BestVonMisesTestNll)} | {G(net.JacobianDrift[^1])} | {G(net.KernelDrift[^1])} | {net.Seconds + lin.Seconds:F0} |");
        }
        sb.AppendLine();
        sb.AppendLine("Largest gap between network and linearization along the run (test NLL at the same step):");
        sb.AppendLine();
        sb.AppendLine("| p | max abs(net − lin) | at step |");
        sb.AppendLine("|---:|---:|---:|");
        foreach (int width in o.Widths)
        {
            var net = result.Runs.First(r => r.Width == width && !r.Linearized);
            var lin = result.Runs.First(r => r.Width == width && r.Linearized);
            int at = Enumerable.Range(0, net.Steps.Count).MaxBy(i => Math.Abs(net.TestNll[i] - lin.TestNll[i]));
            sb.AppendLine($"| {width} | {G(Math.Abs(net.TestNll[at] - lin.TestNll[at]))} | {net.Steps[at]} |");
        }
        sb.AppendLine();
        sb.AppendLine("Figures: `nll.svg` (test NLL against step, every run, with the exact-posterior line), `drift.svg` (Jacobian and NTK drift of the networks against step).");
        return sb.ToString();
    }

    /// <summary>Test NLL against step, every run, and the exact posterior's NLL on the test set.</summary>
    public static string NllFigure(GcviToyResult result)
    {
        var chart = new SvgLineChart("gcvi-toy: test NLL of q(θ | x) against step", "step", "test NLL (nats)");
        foreach (var r in result.Runs)
            chart.AddSeries($"p = {r.Width} {(r.Linearized ? "linearized" : "network")}", r.Steps.Zip(r.TestNll, (s, v) => ((double)s, v)));
        var last = result.Runs.Max(r => r.Steps[^1]);
        chart.AddSeries("exact posterior (test set)", [(1.0, result.ExactPosteriorTestNll), (last, result.ExactPosteriorTestNll)]);
        return chart.Render();
    }

    /// <summary>Jacobian and NTK drift of each network against step.</summary>
    public static string DriftFigure(GcviToyResult result)
    {
        var chart = new SvgLineChart("gcvi-toy: drift from initialization (networks)", "step", "relative Frobenius drift");
        foreach (var r in result.Runs.Where(r => !r.Linearized))
        {
            chart.AddSeries($"‖J_t − J₀‖ p = {r.Width}", r.Steps.Zip(r.JacobianDrift, (s, v) => ((double)s, v)));
            chart.AddSeries($"‖K_t − K₀‖ p = {r.Width}", r.Steps.Zip(r.KernelDrift, (s, v) => ((double)s, v)));
        }
        return chart.Render();
    }

    /// <summary>Every file of the study, by name.</summary>
    public static List<(string Name, string Content)> Files(GcviToyResult result) =>
    [
        ("results.json", ToJson(result)),
        ("gcvi-toy.md", ToMarkdown(result)),
        ("nll.svg", NllFigure(result)),
        ("drift.svg", DriftFigure(result)),
    ];
}
