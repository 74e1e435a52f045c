using System.Text.Json;
using Vinfer.Data;
using Vinfer.Experiments.Ar1;
using Vinfer.StateSpace;
using Vinfer.Tests.Cli;

namespace Vinfer.Tests.StateSpace;

public sealed class Ar1CliTests : CliTestFolder
{
    [Theory]
    [InlineData("y\n1.0\nabc\n2.0\n", "line 3", "'abc'")]
    [InlineData("1.0\n2.5\nNaN\n", "line 3", "not a finite number")]
    [InlineData("0.5\n-Infinity\n", "line 2", "not a finite number")]
    [InlineData("y\n", "empty", "no data rows")]
    [InlineData("", "empty", "no data rows")]
    [InlineData("1.0\n\n2.0\n,\n", "line 4", "expected 1 cells")]
    public void BadSeriesGivesOneClearErrorNonZeroExitAndNoOutput(string content, string where, string what)
    {
        string data = Write("bad.csv", content);
        string outDir = Path.Combine(Folder, "out");
        var (code, output, error) = Run("fit", "ar1", "--data", data, "--method", "vem", "--out", outDir);
        Assert.NotEqual(0, code);
        Assert.Contains(where, error);
        Assert.Contains(what, error);
        Assert.Contains("bad.csv", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Equal("", output);
        Assert.False(Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any());
    }

    [Fact]
    public void UnknownModelListsTheKnownOnes()
    {
        var (code, _, error) = Run("fit", "garch", "--data", "x.csv");
        Assert.NotEqual(0, code);
        Assert.Contains("unknown model 'garch'", error);
        Assert.Contains("ar1", error);
    }

    [Fact]
    public void UnknownMethodAndMissingFileAreReported()
    {
        string data = Write("ok.csv", "1\n2\n3\n");
        var (code, _, error) = Run("fit", "ar1", "--data", data, "--method", "gibbs");
        Assert.NotEqual(0, code);
        Assert.Contains("gibbs", error);
        (code, _, error) = Run("fit", "ar1", "--data", Path.Combine(Folder, "missing.csv"));
        Assert.NotEqual(0, code);
        Assert.Contains("not found", error);
    }

    [Fact]
    public void FitWritesASummaryThatMatchesTheLibrary()
    {
        double[] y = Ar1TestData.Series(200, seed: 17);
        string data = Write("series.csv", "time,value\n" + string.Join("\n", y.Select((v, i) => FormattableString.Invariant($"{i},{v:R}"))) + "\n");
        string outDir = Path.Combine(Folder, "fit");
        var (code, output, error) = Run("fit", "ar1", "--data", data, "--column", "value", "--method", "vem", "--x0", "1.2", "--out", outDir, "--tol", "1e-9");
        Assert.True(code == 0, error);
        Assert.Contains("log_likelihood", output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var root = json.RootElement;
        Assert.Equal("vem", root.GetProperty("method").GetString());
        var theta = new Ar1NoiseModel(root.GetProperty("psi").GetDouble(), root.GetProperty("zeta").GetDouble(),
            root.GetProperty("sigma_h2").GetDouble(), root.GetProperty("sigma_v2").GetDouble());
        Assert.Equal(ScalarKalmanSmoother.LogLikelihood(y, theta, 1.2), root.GetProperty("log_likelihood").GetDouble(), 1e-8);
        Assert.True(root.GetProperty("elbo").GetDouble() < root.GetProperty("log_likelihood").GetDouble());
        // The same fit through the library, from the CLI's moment start: the same iterations and estimates, bit for bit.
        var library = Ar1EmAlgorithm.Create("vem", y, 1.2).Fit(Vinfer.Cli.Commands.Ar1Fit.MomentStart(y), 100_000, 1e-9);
        Assert.Equal(library.Iterations, root.GetProperty("iterations").GetInt32());
        Assert.Equal(library.Parameters.Psi, root.GetProperty("psi").GetDouble());
        Assert.Equal(library.Parameters.SigmaV2, root.GetProperty("sigma_v2").GetDouble());
        Assert.Equal(library.Elbo, root.GetProperty("elbo").GetDouble());
        Assert.Empty(Directory.GetFiles(outDir, "*.tmp"));
    }

    [Fact]
    public void ExperimentWritesResultsAndRejectsBadSettingsWithoutOutput()
    {
        string outDir = Path.Combine(Folder, "study");
        var (code, _, error) = Run("experiment", "ar1", "--quick", "--methods", "em,gibbs", "--out", outDir);
        Assert.NotEqual(0, code);
        Assert.Contains("gibbs", error);
        Assert.False(Directory.Exists(outDir));

        (code, _, error) = Run("experiment", "ar1", "--quick", "--budget-seconds", "0.002", "--repetitions", "2",
            "--lengths", "60", "--iterations", "2,4", "--out", outDir);
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        var vem = json.RootElement.GetProperty("results")[0].GetProperty("methods").GetProperty("vem");
        var cell = vem.GetProperty("cells")[0];
        Assert.Equal(2, cell.GetProperty("iterations_per_run").GetInt32());
        // Runs per budget depend on the clock; what does not: two repetitions, so the mean is half an integer within [min, max].
        var runs = cell.GetProperty("runs_per_budget");
        double meanRuns = runs.GetProperty("mean").GetDouble();
        Assert.Equal(Math.Round(2 * meanRuns), 2 * meanRuns);
        Assert.InRange(meanRuns, runs.GetProperty("min").GetDouble(), runs.GetProperty("max").GetDouble());
        Assert.Equal(2, cell.GetProperty("variational_gap").GetProperty("count").GetInt32());
        // The fits from the truth are reproducible: recompute each log-likelihood on the study's own series.
        var options = new Ar1StudyOptions { Lengths = [60] };
        var series = Ar1Study.SimulateSeries(options, 60);
        var dataset = json.RootElement.GetProperty("datasets")[0];
        Assert.Equal(ScalarKalmanSmoother.LogLikelihood(series, options.Truth, options.X0), dataset.GetProperty("true_log_likelihood").GetDouble(), 1e-9);
        foreach (var f in dataset.GetProperty("converged_fits_from_truth").EnumerateArray())
        {
            var p = f.GetProperty("parameters");
            var theta = new Ar1NoiseModel(p.GetProperty("psi").GetDouble(), p.GetProperty("zeta").GetDouble(), p.GetProperty("sigma_h2").GetDouble(), p.GetProperty("sigma_v2").GetDouble());
            double logLikelihood = f.GetProperty("log_likelihood").GetDouble();
            Assert.Equal(ScalarKalmanSmoother.LogLikelihood(series, theta, options.X0), logLikelihood, 1e-9);
            Assert.Equal(logLikelihood - f.GetProperty("elbo").GetDouble(), f.GetProperty("variational_gap").GetDouble(), 1e-9);
        }
        Assert.True(cell.GetProperty("estimates").TryGetProperty("signal_variance", out _));
        Assert.True(json.RootElement.GetProperty("results")[0].TryGetProperty("cost_ratio_em_over_vem", out _));
        Assert.StartsWith("<svg", File.ReadAllText(Path.Combine(outDir, "boxplot-T60.svg")));
        Assert.Contains("| iterations/run |", File.ReadAllText(Path.Combine(outDir, "boxplots.md")));
    }

    [Fact]
    public void CsvReaderHandlesHeadersQuotesAndNamedColumns()
    {
        Assert.Equal([1.5, -2.0], NumericColumnCsv.Read(new StringReader("\"y\"\n1.5\n-2\n"), "mem"));
        Assert.Equal([1.5, -2.0], NumericColumnCsv.Read(new StringReader("1.5\n-2\n\n"), "mem"));
        Assert.Equal([3.0, 4.0], NumericColumnCsv.Read(new StringReader("a,b\n1,3\n2,4\n"), "mem", "b"));
        var ex = Assert.Throws<DataFormatException>(() => NumericColumnCsv.Read(new StringReader("a,b\n1,3\n"), "mem", "c"));
        Assert.Contains("no column 'c'", ex.Message);
        ex = Assert.Throws<DataFormatException>(() => NumericColumnCsv.Read(new StringReader("a,b\n1,3\n"), "mem"));
        Assert.Contains("2 columns", ex.Message);
    }
}
