using System.CommandLine;
using System.Text.Json.Nodes;
using Vinfer.Cli;
using Vinfer.Experiments.GlobalConvergence;
using Vinfer.Random;

namespace Vinfer.Tests.Experiments;

/// <summary><c>vinfer experiment gcvi-clustering --quick</c> and the label-switching simulator.</summary>
public class GcviClusteringExperimentTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"vinfer-gcviclustering-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void SimulatorPlacesTheCentresAroundTheShiftedBaseAndThePointsAroundTheCentres()
    {
        var (centres, shift, points) = GcviClusteringStudy.Simulate(5000, new RandomStream(3), 100);
        Assert.Equal(100, shift);
        double[] baseCentres = [-20, -10, 0, 10, 20];
        // z_j ∼ N(μ_j + s, 0.5²): within 5 sd.
        for (int j = 0; j < 5; j++) Assert.InRange(centres[j] - baseCentres[j] - shift, -2.5, 2.5);
        // Every point is within 5 × 0.1 of its nearest centre, and each centre has about 1/5 of the points (5 se).
        Assert.All(points, x => Assert.True(centres.Min(c => Math.Abs(x - c)) < 0.5, $"point {x}"));
        foreach (double c in centres)
        {
            int count = points.Count(x => Math.Abs(x - c) < 0.5);
            Assert.InRange(count, 1000 - 5 * Math.Sqrt(5000 * 0.2 * 0.8), 1000 + 5 * Math.Sqrt(5000 * 0.2 * 0.8));
        }
        var drawn = GcviClusteringStudy.Simulate(10, new RandomStream(4));
        Assert.NotEqual(100, drawn.Shift);
    }

    [Fact]
    public void QuickRunWritesTheFourCells()
    {
        var output = new StringWriter(); var error = new StringWriter();
        int code = Program.BuildRootCommand().Parse(["experiment", "gcvi-clustering", "--quick", "--out", _dir]).Invoke(new InvocationConfiguration { Output = output, Error = error });
        Assert.True(code == 0, error.ToString());
        foreach (var file in new[] { "results.json", "gcvi-clustering.md", "centres.svg" })
            Assert.True(File.Exists(Path.Combine(_dir, file)), file);
        var table = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "results.json")))!["table"]!.AsArray();
        Assert.Equal(4, table.Count);
        Assert.All(table, row => Assert.InRange((double)row!["fraction_ordered"]!, 0, 1));
        Assert.Contains("| L_P | natural |", File.ReadAllText(Path.Combine(_dir, "gcvi-clustering.md")));
    }

    [Fact]
    public void CentreScalesFollowTheParameterizationAndTheClamp()
    {
        // natural: sd = (−2η₂)^−½ with η₂ ∈ [−1000, −0.1], so sd ∈ [1/√2000, √5]; mean-only: sd = 1. One cell at a time.
        var result = GcviClusteringStudy.Run(GcviClusteringOptions.Quick with { Cells = ["lp-natural", "lp-mean-only"], Replicates = 1 });
        Assert.Equal(["lp natural", "lp mean-only"], result.Runs.Select(r => $"{r.Objective} {r.Parameterization}").ToArray());
        var natural = result.Runs[0].CentreScales;
        Assert.Equal(5, natural.Length);
        Assert.All(natural, sd => Assert.InRange(sd, 1 / Math.Sqrt(2000) - 1e-12, Math.Sqrt(5) + 1e-12));
        Assert.All(result.Runs[1].CentreScales, sd => Assert.Equal(1, sd));
        Assert.Contains("--cells", Assert.Throws<ArgumentException>(() => (GcviClusteringOptions.Quick with { Cells = ["lp"] }).Validate()).Message);
    }
}
