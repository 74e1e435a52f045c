using Vinfer.IO;
using System.CommandLine;
using System.Text;
using System.Text.Json;
using Vinfer.Cli.Infrastructure;
using Vinfer.Data;
using Vinfer.StateSpace;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>vinfer fit ar1</c>: fits the AR(1)-plus-noise model to a one-column series by EM, mean-field VEM or structured
/// VEM, run to convergence, and reports θ with the exact log-likelihood and the ELBO.
/// </summary>
public static class Ar1Fit
{
    /// <summary>The known initial state.</summary>
    public static readonly Option<double> X0 = new("--x0") { Description = "ar1: the known initial state X_0.", DefaultValueFactory = _ => 0.0 };

    /// <summary>The column to read from a CSV with a header.</summary>
    public static readonly Option<string?> Column = new("--column") { Description = "Column name to read from a CSV with a header row." };

    /// <summary>Adds the ar1-specific options to the fit command.</summary>
    public static void AddOptions(Command fit)
    {
        fit.Options.Add(X0);
        fit.Options.Add(Column);
    }

    /// <summary>Runs the fit; returns the exit code.</summary>
    public static int Run(ParseResult pr) => CliError.Guard(pr, () =>
    {
        string? path = pr.GetValue(FitCommand.Data);
        if (string.IsNullOrEmpty(path)) return CliError.Report(pr, "--data is required for the ar1 model.");
        string method = pr.GetValue(FitCommand.Method) ?? "em";
        if (method is "advi" or "alpha-moments")
            return CliError.Report(pr, $"--method '{method}' does not apply to the ar1 model; it takes em, vem or structured.");
        if (method is not ("em" or "vem" or "structured"))
            return CliError.Report(pr, $"--method '{method}' is not one of em, vem, structured.");
        double x0 = pr.GetValue(X0);
        if (!double.IsFinite(x0)) return CliError.Report(pr, $"--x0 is {x0}, expected a finite number.");
        int maxIterations = pr.GetValue(FitCommand.MaxIterations);
        double tolerance = pr.GetValue(FitCommand.Tolerance) ?? 1e-10;
        if (maxIterations < 1) return CliError.Report(pr, $"--max-iterations is {maxIterations}, expected at least 1.");
        if (!(tolerance >= 0.0)) return CliError.Report(pr, $"--tol is {tolerance}, expected a non-negative number.");

        double[] y = NumericColumnCsv.ReadFile(path, pr.GetValue(Column));
        if (y.Length < 2) return CliError.Report(pr, $"{path}: the series has {y.Length} value; at least 2 are needed.");
        var algorithm = Ar1EmAlgorithm.Create(method, y, x0);
        var fit = algorithm.Fit(MomentStart(y), maxIterations, tolerance);
        if (!fit.Parameters.IsValid)
            return CliError.Report(pr, $"the {method} iterations left the valid parameter space ({fit.Parameters}); the series may be degenerate (e.g. constant).");

        var p = fit.Parameters;
        var stdout = pr.InvocationConfiguration.Output;
        stdout.WriteLine(FormattableString.Invariant($"method {fit.Method}, T = {y.Length}, x0 = {x0:G6}"));
        stdout.WriteLine(FormattableString.Invariant($"psi      {p.Psi:G10}"));
        stdout.WriteLine(FormattableString.Invariant($"zeta     {p.Zeta:G10}"));
        stdout.WriteLine(FormattableString.Invariant($"sigma_h2 {p.SigmaH2:G10}"));
        stdout.WriteLine(FormattableString.Invariant($"sigma_v2 {p.SigmaV2:G10}"));
        stdout.WriteLine(FormattableString.Invariant($"zeta^2 sigma_h2 / (1 - psi^2) {p.SignalVariance:G10}"));
        stdout.WriteLine(FormattableString.Invariant($"log_likelihood {fit.LogLikelihood:G12}"));
        stdout.WriteLine(FormattableString.Invariant($"elbo           {fit.Elbo:G12}  (gap {fit.VariationalGap:G4})"));
        stdout.WriteLine(FormattableString.Invariant($"iterations {fit.Iterations}{(fit.Converged ? " (converged)" : " (iteration limit reached)")}"));

        if (pr.GetValue(FitCommand.Output) is string directory)
        {
            string summary = Path.Combine(directory, "summary.json");
            AtomicFile.WriteAllText(summary, SummaryJson(fit, y.Length, x0));
            stdout.WriteLine($"wrote {summary}");
        }
        return 0;
    });

    /// <summary>
    /// A deterministic start from the data's moments: ψ from the lag-one autocorrelation (clipped to ±0.95), ζ = 1, and
    /// the variance of Y split evenly between signal and noise.
    /// </summary>
    public static Ar1NoiseModel MomentStart(ReadOnlySpan<double> y)
    {
        double mean = 0.0;
        foreach (double v in y) mean += v;
        mean /= y.Length;
        double c0 = 0.0, c1 = 0.0;
        for (int t = 0; t < y.Length; t++)
        {
            c0 += (y[t] - mean) * (y[t] - mean);
            if (t > 0) c1 += (y[t] - mean) * (y[t - 1] - mean);
        }
        double variance = Math.Max(c0 / y.Length, 1e-12);
        double psi = c0 > 0.0 ? Math.Clamp(c1 / c0, -0.95, 0.95) : 0.0;
        return new Ar1NoiseModel(psi, 1.0, 0.5 * variance * (1.0 - psi * psi), 0.5 * variance);
    }

    private static string SummaryJson(Ar1FitResult fit, int length, double x0)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("model", "ar1");
            w.WriteString("method", fit.Method);
            w.WriteNumber("t", length);
            w.WriteNumber("x0", x0);
            w.WriteNumber("psi", fit.Parameters.Psi);
            w.WriteNumber("zeta", fit.Parameters.Zeta);
            w.WriteNumber("sigma_h2", fit.Parameters.SigmaH2);
            w.WriteNumber("sigma_v2", fit.Parameters.SigmaV2);
            if (double.IsFinite(fit.Parameters.SignalVariance)) w.WriteNumber("signal_variance", fit.Parameters.SignalVariance);
            else w.WriteNull("signal_variance");
            w.WriteNumber("log_likelihood", fit.LogLikelihood);
            w.WriteNumber("elbo", fit.Elbo);
            w.WriteNumber("variational_gap", fit.VariationalGap);
            w.WriteNumber("iterations", fit.Iterations);
            w.WriteBoolean("converged", fit.Converged);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
