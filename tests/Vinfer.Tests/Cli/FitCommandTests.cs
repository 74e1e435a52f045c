using System.Text.Json.Nodes;

namespace Vinfer.Tests.Cli;

public class FitCommandTests : CliTestFolder
{
    [Fact]
    public void EightSchoolsWithBundledDataPrintsSummaryAndWritesFiles()
    {
        var outDir = Path.Combine(Folder, "out");
        var (code, stdout, stderr) = Run("fit", "eight_schools", "--out", outDir, "--steps", "300", "--draws", "200");
        Assert.True(code == 0, stderr);
        Assert.Contains("theta[8]", stdout);
        Assert.Contains("k̂ = ", stdout);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!;
        Assert.Equal("eight_schools", (string?)summary["model"]);
        Assert.Equal("meanfield", (string?)summary["family"]);
        Assert.Equal(300, (int)summary["steps"]!);
        // the wall time split into phases, each with its JIT share
        var phases = summary["phases"]!.AsObject();
        Assert.Equal(["setup", "pathfinder", "guide", "optimization", "averaging", "draws", "summary", "psis and evidence", "verdict"], phases.Select(p => p.Key));
        Assert.All(phases, p => Assert.True((double)p.Value!["seconds"]! >= 0 && (double)p.Value!["jit_seconds"]! >= 0));
        var lines = File.ReadAllLines(Path.Combine(outDir, "draws.csv")).Where(l => !l.StartsWith('#')).ToArray();
        Assert.StartsWith("lp__,log_p__,log_g__,mu,tau,theta_trans.1", lines[0]);
        Assert.Equal(1 + 1 + 200, lines.Length); // header, mean row, draws
        // The summary's quantiles and mean are those of the draws written beside it.
        int column = Array.IndexOf(lines[0].Split(','), "theta_trans.1");
        var draws = lines[2..].Select(l => double.Parse(l.Split(',')[column], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var sorted = draws.Order().ToArray();
        double Type7(double p) { double h = (sorted.Length - 1) * p; int lo = (int)Math.Floor(h); return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]); }
        var reported = summary["parameters"]!["theta_trans[1]"]!;
        Assert.Equal(Type7(0.95), (double)reported["q95"]!, 1e-9);
        Assert.Equal(Type7(0.05), (double)reported["q5"]!, 1e-9);
        Assert.Equal(draws.Average(), (double)reported["mean"]!, 1e-9);
    }

    [Fact]
    public void SameSeedSameSummary()
    {
        var a = Run("fit", "eight_schools", "--steps", "200", "--draws", "100", "--seed", "5");
        var b = Run("fit", "eight_schools", "--steps", "200", "--draws", "100", "--seed", "5");
        static string Table(string s) => string.Join('\n', s.Split('\n').Skip(1)); // the header line has the wall time
        Assert.Equal(Table(a.Out), Table(b.Out));
    }

    [Fact]
    public void RegressionFromCsv()
    {
        var rows = new List<string> { "x1,x2,y" };
        var rng = new System.Random(3);
        for (int i = 0; i < 60; i++)
        {
            double x1 = rng.NextDouble() * 2 - 1, x2 = rng.NextDouble() * 2 - 1;
            rows.Add(FormattableString.Invariant($"{x1},{x2},{1 + 2 * x1 - x2 + 0.1 * (rng.NextDouble() - 0.5)}"));
        }
        var csv = Write("reg.csv", string.Join('\n', rows) + "\n");
        var (code, stdout, stderr) = Run("fit", "linear_regression", "--data", csv, "--steps", "400", "--draws", "100");
        Assert.True(code == 0, stderr);
        Assert.Contains("beta[2]", stdout);
        Assert.Contains("sigma", stdout);
    }

    [Theory]
    [InlineData("{\"J\": 2, \"y\": [1, 2]}", "'sigma'")]
    [InlineData("{\"J\": 3, \"y\": [1, 2], \"sigma\": [1, 1, 1]}", "'y'")]
    [InlineData("{\"J\": 2, \"y\": [1, \"NaN\"], \"sigma\": [1, 1]}", "'y'")]
    [InlineData("{\"J\": 2, \"y\": [1, 2], \"sigma\": [1, -1]}", "'sigma'")]
    [InlineData("{\"J\": 2, \"y\": [1, 2", "data.json")]
    public void BadDataGivesOneErrorLineAndNoOutput(string json, string named)
    {
        var data = Write("data.json", json);
        var outDir = Path.Combine(Folder, "out");
        var (code, stdout, stderr) = Run("fit", "eight_schools", "--data", data, "--out", outDir);
        Assert.NotEqual(0, code);
        Assert.Contains(named, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Equal("", stdout);
        Assert.False(Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any());
    }

    [Fact]
    public void MalformedCsvNamesTheLine()
    {
        var csv = Write("bad.csv", "x1,y\n1,0\n2\n");
        var (code, _, stderr) = Run("fit", "logistic_regression", "--data", csv);
        Assert.NotEqual(0, code);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("bad.csv", stderr);
    }

    [Theory]
    [InlineData(new[] { "fit", "no_such_model" }, "unknown model 'no_such_model'")]
    [InlineData(new[] { "fit", "eight_schools", "--family", "banana" }, "--family")]
    [InlineData(new[] { "fit", "eight_schools", "--particles", "0" }, "--particles")]
    [InlineData(new[] { "fit", "eight_schools", "--steps", "0" }, "--steps")]
    [InlineData(new[] { "fit", "linear_regression" }, "--data")]
    [InlineData(new[] { "fit", "eight_schools", "--data", "/nonexistent/x.json" }, "x.json")]
    public void BadArgumentsGiveOneErrorLine(string[] args, string named)
    {
        var (code, stdout, stderr) = Run(args);
        Assert.NotEqual(0, code);
        Assert.Contains(named, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Equal("", stdout);
    }
}
