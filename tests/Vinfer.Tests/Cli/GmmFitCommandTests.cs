using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Vinfer.Tests.Conjugate;

namespace Vinfer.Tests.Cli;

/// <summary><c>vinfer fit gmm</c>: outputs on good data; one clear error, a non-zero exit and nothing written on bad input.</summary>
public class GmmFitCommandTests : CliTestFolder
{
    private string MixtureCsv(int n)
    {
        var (points, labels) = MixtureData.Draw(n, 8);
        var sb = new StringBuilder("label,x1,x2\n");
        for (int i = 0; i < n; i++)
            sb.Append(CultureInfo.InvariantCulture, $"{labels[i]},{points[2 * i]:R},{points[2 * i + 1]:R}\n");
        return Write("points.csv", sb.ToString());
    }

    [Theory]
    [InlineData("cavi", "full", "dp", 5, 0.9)]
    // SVI from k-means with surplus components keeps them (its step sizes decay before they empty): K = 3 here.
    [InlineData("svi", "full", "dirichlet", 3, 0.9)]
    [InlineData("cavi", "diag", "dirichlet", 5, 0.5)] // a correlated component is split in two by diagonal covariances
    public void FitsAndWritesSummaryAndAssignments(string method, string covariance, string prior, int components, double minimumAri)
    {
        var data = MixtureCsv(1200);
        var outDir = Path.Combine(Folder, "out");
        var (code, stdout, stderr) = Run("fit", "gmm", "--data", data, "--components", components.ToString(CultureInfo.InvariantCulture), "--covariance", covariance, "--prior", prior,
            "--method", method, "--batch-size", "200", "--out", outDir);
        Assert.True(code == 0, stderr);
        Assert.Contains("adjusted Rand index", stdout);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!;
        Assert.Equal(method, (string?)summary["method"]);
        Assert.Equal(components, summary["weights"]!.AsArray().Count);
        Assert.Equal(components, summary["means"]!.AsArray().Count);
        Assert.True((double)summary["adjusted_rand_index"]! > minimumAri, $"ARI {(double)summary["adjusted_rand_index"]!}");
        Assert.NotEmpty(summary[method == "cavi" ? "elbo_trace" : "elbo_trace_per_epoch"]!.AsArray());
        var lines = File.ReadAllLines(Path.Combine(outDir, "assignments.csv"));
        Assert.Equal("point,component,label", lines[0]);
        Assert.Equal(1201, lines.Length);
    }

    [Fact]
    public void BadInputWritesNothing()
    {
        var good = MixtureCsv(50);
        var nan = Write("nan.csv", "x1,x2\n1,2\nNaN,3\n4,5\n");
        var ragged = Write("ragged.csv", "x1,x2\n1,2\n3\n4,5\n");
        (string[] Args, string Message)[] cases =
        [
            (["--data", nan, "--components", "2"], "not a finite number"),
            (["--data", ragged, "--components", "2"], "has 1 fields"),
            (["--data", good, "--components", "0"], "--components is 0"),
            (["--data", good, "--components", "51"], "--components is 51, expected between 1 and the number of points (50)"),
            (["--data", good, "--components", "3", "--method", "svi", "--batch-size", "51"], "--batch-size is 51"),
            (["--data", good, "--components", "3", "--covariance", "tied"], "--covariance 'tied'"),
            (["--data", good, "--components", "3", "--method", "em"], "--method 'em'"),
        ];
        foreach (var (args, message) in cases)
        {
            var outDir = Path.Combine(Folder, "bad");
            var (code, _, stderr) = Run(["fit", "gmm", .. args, "--out", outDir]);
            Assert.NotEqual(0, code);
            Assert.Contains(message, stderr);
            Assert.Single(stderr.Trim().Split('\n'));
            Assert.False(Directory.Exists(outDir), $"{string.Join(' ', args)} wrote {outDir}");
        }
    }
}
