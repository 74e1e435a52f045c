using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Vinfer.Cli.Infrastructure;
using Vinfer.Conjugate;
using Vinfer.Data;
using Vinfer.Diagnostics;
using Vinfer.IO;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>vinfer fit gmm</c>: a variational Bayesian Gaussian mixture (<see cref="BayesianGaussianMixture"/>) fitted by
/// batch CAVI or stochastic VI to the points of a CSV file (every column a coordinate, except an optional
/// <c>label</c> column used only for the adjusted Rand index), with scikit-learn's default priors and k-means
/// initialization. Writes DIR/summary.json and DIR/assignments.csv atomically; bad input writes nothing.
/// </summary>
public static class GmmFit
{
    /// <summary>K.</summary>
    public static readonly Option<int?> Components = new("--components") { Description = "gmm: the number of mixture components K (1 ≤ K ≤ N)." };

    /// <summary>full | diag.</summary>
    public static readonly Option<string> Covariance = new("--covariance") { Description = "gmm: full or diag covariances.", DefaultValueFactory = _ => "full" };

    /// <summary>dirichlet | dp.</summary>
    public static readonly Option<string> Prior = new("--prior") { Description = "gmm: weight prior, dirichlet or dp (truncated stick-breaking; scikit-learn's default).", DefaultValueFactory = _ => "dp" };

    /// <summary>SVI's forgetting rate κ.</summary>
    public static readonly Option<double> ForgettingRate = new("--forgetting-rate") { Description = "gmm svi: κ in ρ_t = (t + τ)^(−κ).", DefaultValueFactory = _ => 0.7 };

    /// <summary>SVI's delay τ.</summary>
    public static readonly Option<double> Delay = new("--delay") { Description = "gmm svi: τ in ρ_t = (t + τ)^(−κ).", DefaultValueFactory = _ => 1.0 };

    /// <summary>Adds the gmm options to the fit command.</summary>
    public static void AddOptions(Command fit)
    {
        fit.Options.Add(Components);
        fit.Options.Add(Covariance);
        fit.Options.Add(Prior);
        fit.Options.Add(ForgettingRate);
        fit.Options.Add(Delay);
    }

    /// <summary>Runs the fit (--method, shared with ar1 and lda: cavi or svi here, cavi when not given); returns the exit code.</summary>
    public static int Run(ParseResult pr) => DistributedFit.Run(pr, () => CliError.Guard(pr, () => Fit(pr)));

    private static int Fit(ParseResult pr)
    {
        string? method = pr.GetValue(FitCommand.Method);
        string? path = pr.GetValue(FitCommand.Data);
        if (string.IsNullOrEmpty(path)) return CliError.Report(pr, "--data is required for the gmm model.");
        int? components = pr.GetValue(Components);
        if (components is null) return CliError.Report(pr, "--components is required for the gmm model.");
        string covariance = pr.GetValue(Covariance)!;
        if (covariance is not ("full" or "diag")) return CliError.Report(pr, $"--covariance '{covariance}' is not one of full, diag.");
        string prior = pr.GetValue(Prior)!;
        if (prior is not ("dirichlet" or "dp")) return CliError.Report(pr, $"--prior '{prior}' is not one of dirichlet, dp.");
        method ??= "cavi";
        if (method is not ("cavi" or "svi")) return CliError.Report(pr, $"--method '{method}' is not one of cavi, svi for the gmm model.");
        // The shared --max-iterations and --tol have other models' defaults; gmm's are scikit-learn's unless given.
        int maxIterations = IsExplicit(pr, FitCommand.MaxIterations) ? pr.GetValue(FitCommand.MaxIterations) : 1000;
        double tolerance = pr.GetValue(FitCommand.Tolerance) ?? 1e-3;
        if (maxIterations < 1) return CliError.Report(pr, $"--max-iterations is {maxIterations}, expected at least 1.");
        if (!(tolerance >= 0.0)) return CliError.Report(pr, $"--tol is {tolerance}, expected a non-negative number.");

        var table = CsvTable.Load(path);
        var coordinates = table.ColumnNames.Where(c => c != "label").ToArray();
        if (coordinates.Length == 0) return CliError.Report(pr, $"{path}: no coordinate columns (only 'label').");
        int n = table.RowCount, d = coordinates.Length;
        if (n < 1) return CliError.Report(pr, $"{path}: no data rows.");
        int k = components.Value;
        if (k < 1 || k > n) return CliError.Report(pr, $"--components is {k}, expected between 1 and the number of points ({n}).");
        int batchSize = pr.GetValue(FitCommand.BatchSize) ?? 1000;
        if (method == "svi" && (batchSize < 1 || batchSize > n)) return CliError.Report(pr, $"--batch-size is {batchSize}, expected between 1 and the number of points ({n}).");
        var points = new double[n * d];
        for (int j = 0; j < d; j++)
        {
            var column = table.GetColumn(coordinates[j]);
            for (int r = 0; r < n; r++) points[r * d + j] = column[r];
        }
        int[]? labels = table.Contains("label") ? table.GetColumn("label").Select(v => (int)v).ToArray() : null;
        // --distributed: this rank's block of the points; statistics, k-means and the outputs' sums go over the ranks
        var share = DistributedFit.JoinForRows(pr, n, null);
        var own = share is { } rows ? points.AsSpan(rows.Start * d, rows.Count * d).ToArray() : points;

        var settings = new GaussianMixtureSettings
        {
            Components = k,
            Covariance = covariance == "full" ? CovarianceKind.Full : CovarianceKind.Diagonal,
            WeightPrior = prior == "dp" ? WeightPriorKind.DirichletProcess : WeightPriorKind.Dirichlet,
        };
        var model = new BayesianGaussianMixture(own, own.Length / d, d, settings, DistributedFit.Communicator);
        var fit = new GaussianMixtureFit
        {
            Method = method == "cavi" ? VariationalMethod.CoordinateAscent : VariationalMethod.Stochastic,
            Stochastic = new NaturalGradientSettings { BatchSize = batchSize, ForgettingRate = pr.GetValue(ForgettingRate), Delay = pr.GetValue(Delay) },
            MaxIterations = maxIterations,
            Tolerance = tolerance,
            Seed = pr.GetValue(ModelFit.Seed),
        };
        var result = fit.Run(model);
        var assignments = DistributedFit.GatherRows(model.Assignments(), share);
        double? ari = labels is null ? null : AdjustedRandIndex.Compute(labels, assignments);
        double meanLogLikelihood = DistributedFit.MeanOverRows(model.MeanLogLikelihood(own), own.Length / d, n);
        if (!DistributedFit.IsLeader) return 0;

        var stdout = pr.InvocationConfiguration.Output;
        var run = result.Run;
        int iterations = method == "cavi" ? run.Steps : run.ElboEvaluations.Count;
        stdout.WriteLine(FormattableString.Invariant($"gmm {method}: N = {n}, d = {d}, K = {k}, {covariance} covariance, {prior} prior"));
        stdout.WriteLine(FormattableString.Invariant($"elbo {result.Elbo:G12}  (scikit-learn convention {result.Elbo - model.ScikitLearnBoundOffset:G12})"));
        stdout.WriteLine(FormattableString.Invariant($"iterations {iterations}{(run.Converged ? " (converged)" : " (iteration limit reached)")}, {result.Seconds:F3} s (k-means {result.InitializationSeconds:F3} s)"));
        stdout.WriteLine(FormattableString.Invariant($"effective components (weight > 0.01) {model.Weights().Count(w => w > 0.01)}, mean log-likelihood {meanLogLikelihood:G8}{(ari is null ? "" : $", adjusted Rand index {ari:F4}")}"));

        if (pr.GetValue(FitCommand.Output) is string directory)
        {
            string summary = Path.Combine(directory, "summary.json"), assigned = Path.Combine(directory, "assignments.csv");
            AtomicFile.WriteAll([(summary, SummaryJson(model, result, method, iterations, ari, meanLogLikelihood, fit)), (assigned, AssignmentsCsv(assignments, labels))]);
            stdout.WriteLine($"wrote {summary} and {assigned}");
        }
        return 0;
    }

    private static bool IsExplicit(ParseResult pr, Option option) => pr.GetResult(option) is { Implicit: false };

    private static string AssignmentsCsv(int[] assignments, int[]? labels)
    {
        var sb = new StringBuilder(assignments.Length * 8);
        sb.Append(labels is null ? "point,component\n" : "point,component,label\n");
        for (int i = 0; i < assignments.Length; i++)
        {
            sb.Append(i.ToString(CultureInfo.InvariantCulture)).Append(',').Append(assignments[i].ToString(CultureInfo.InvariantCulture));
            if (labels is not null) sb.Append(',').Append(labels[i].ToString(CultureInfo.InvariantCulture));
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static string SummaryJson(BayesianGaussianMixture model, GaussianMixtureResult result, string method, int iterations, double? ari, double meanLogLikelihood, GaussianMixtureFit fit)
    {
        int d = model.Dimension, k = model.Components;
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("model", "gmm");
            w.WriteString("method", method);
            w.WriteNumber("n", model.TotalCount);
            w.WriteNumber("d", d);
            w.WriteNumber("components", k);
            w.WriteString("covariance", model.Settings.Covariance == CovarianceKind.Full ? "full" : "diag");
            w.WriteString("prior", model.Settings.WeightPrior == WeightPriorKind.DirichletProcess ? "dp" : "dirichlet");
            string settings = FormattableString.Invariant(
                $"scikit-learn defaults: weight concentration 1/K, mean precision 1, mean prior = data mean, degrees of freedom d, covariance prior = data covariance; k-means++ init (seed {fit.Seed}); stop when |ΔELBO| < {fit.Tolerance:G3} or {fit.MaxIterations} iterations");
            if (method == "svi")
                settings += FormattableString.Invariant($"; SVI batch {fit.Stochastic.BatchSize}, ρ_t = (t + {fit.Stochastic.Delay:G3})^(−{fit.Stochastic.ForgettingRate:G3}), ELBO evaluated once per epoch");
            w.WriteString("settings", settings);
            w.WriteNumber("elbo", result.Elbo);
            if (double.IsFinite(model.ScikitLearnBoundOffset)) w.WriteNumber("elbo_scikit_learn_convention", result.Elbo - model.ScikitLearnBoundOffset);
            w.WriteNumber("iterations", iterations);
            w.WriteBoolean("converged", result.Run.Converged);
            w.WriteNumber("seconds", result.Seconds);
            w.WriteNumber("initialization_seconds", result.InitializationSeconds);
            w.WriteNumber("kmeans_iterations", result.KMeansIterations);
            w.WriteNumber("mean_log_likelihood", meanLogLikelihood);
            if (ari is { } a) w.WriteNumber("adjusted_rand_index", a);
            w.WriteStartArray(method == "cavi" ? "elbo_trace" : "elbo_trace_per_epoch");
            if (method == "cavi") foreach (double e in result.Run.ElboTrace) w.WriteNumberValue(e);
            else foreach (var (_, e) in result.Run.ElboEvaluations) w.WriteNumberValue(e);
            w.WriteEndArray();
            WriteArray(w, "weights", model.Weights());
            var means = model.Means();
            w.WriteStartArray("means");
            for (int c = 0; c < k; c++) WriteArray(w, null, means.AsSpan(c * d, d));
            w.WriteEndArray();
            var covariances = model.Covariances();
            w.WriteStartArray("covariances");
            for (int c = 0; c < k; c++)
            {
                w.WriteStartArray();
                for (int i = 0; i < d; i++) WriteArray(w, null, covariances.AsSpan(c * d * d + i * d, d));
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteArray(Utf8JsonWriter w, string? name, ReadOnlySpan<double> values)
    {
        if (name is null) w.WriteStartArray(); else w.WriteStartArray(name);
        foreach (double v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }
}
