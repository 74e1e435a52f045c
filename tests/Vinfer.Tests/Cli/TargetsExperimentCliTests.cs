namespace Vinfer.Tests.Cli;

/// <summary><c>vinfer experiment targets</c>: the flow-fit options (objective, K, draws, sizes, clamp) and their bad input.</summary>
public class TargetsExperimentCliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"vinfer-targets-{Guid.NewGuid():N}");

    public TargetsExperimentCliTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AnIwaeFitOfOneTargetIsScoredOnItsGuideDrawsAndLabelledWithItsSettings()
    {
        var outDir = Path.Combine(_dir, "banana");
        var (code, stdout, stderr) = InProcessCli.Run("experiment", "targets", "--families", "iaf", "--targets", "banana", "--objective", "iwae",
            "--particles", "4", "--estimates", "2", "--steps", "200", "--draws", "500", "--flow-layers", "1", "--hidden", "8", "--max-log-scale", "4", "--out", outDir);
        Assert.True(code == 0, stderr);
        var rows = File.ReadAllLines(Path.Combine(outDir, "targets.md")).Skip(2).ToArray();
        Assert.NotEmpty(rows);
        // only the banana, only iaf; the first row is the guide's own draws, a second (if k̂ < 0.7) the same draws PSIS-weighted
        Assert.All(rows, r => Assert.StartsWith("| banana | iaf (iwae K=4 × 2, 200 steps, 1 layers, hidden 8, clamp 4)", r));
        Assert.InRange(rows.Length, 1, 2);
        if (rows.Length == 2) Assert.Contains(", PSIS-reweighted |", rows[1]);
        Assert.Equal(rows.Length, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    /// <summary>--estimator dreg reaches the IWAE fit (its label says so) and the fit runs with the IAF's inverse.</summary>
    [Fact]
    public void AnIwaeFitWithDregIsLabelledWithTheEstimator()
    {
        var outDir = Path.Combine(_dir, "banana-dreg");
        var (code, _, stderr) = InProcessCli.Run("experiment", "targets", "--families", "iaf", "--targets", "banana", "--objective", "iwae", "--estimator", "dreg",
            "--particles", "4", "--steps", "200", "--draws", "500", "--flow-layers", "1", "--hidden", "8", "--out", outDir);
        Assert.True(code == 0, stderr);
        var rows = File.ReadAllLines(Path.Combine(outDir, "targets.md")).Skip(2).ToArray();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.StartsWith("| banana | iaf (iwae K=4 dreg, 200 steps, 1 layers, hidden 8)", r));
    }

    [Theory]
    [InlineData(new[] { "--targets", "donut" }, "--targets: 'donut' is not one of funnel, banana, gaussian_ring, two_moons")]
    [InlineData(new[] { "--objective", "renyi" }, "--objective is 'renyi', expected elbo or iwae")]
    [InlineData(new[] { "--estimates", "2" }, "--estimates 2 applies only to --objective iwae")]
    [InlineData(new[] { "--objective", "iwae", "--estimates", "0" }, "--estimates is 0")]
    [InlineData(new[] { "--families", "flow", "--max-log-scale", "6" }, "--max-log-scale 6 applies only to the iaf family")]
    [InlineData(new[] { "--max-log-scale", "-6" }, "--max-log-scale is -6, expected a finite number above the minimum log-scale -5")]
    [InlineData(new[] { "--base-df", "-1" }, "--base-df is -1")]
    [InlineData(new[] { "--draws", "5" }, "--draws is 5")]
    [InlineData(new[] { "--flow-layers", "0" }, "--flow-layers is 0")]
    [InlineData(new[] { "--hidden", "8,0" }, "got '0'")]
    [InlineData(new[] { "--estimator", "dreg" }, "--estimator dreg applies only to --objective iwae")]
    [InlineData(new[] { "--objective", "iwae", "--estimator", "vimco" }, "--estimator is 'vimco', expected reparam, dreg or stl")]
    [InlineData(new[] { "--families", "iaf,planar", "--objective", "iwae", "--estimator", "dreg" }, "which the planar family cannot do: its PlanarFlow layers have no differentiable inverse")]
    public void BadInputGivesOneErrorLineAndNoOutput(string[] options, string named)
    {
        var outDir = Path.Combine(_dir, "bad");
        var (code, stdout, stderr) = InProcessCli.Run(["experiment", "targets", "--steps", "10", .. options, "--out", outDir]); // every case is refused before any fit
        Assert.NotEqual(0, code);
        Assert.Contains(named, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Equal("", stdout);
        Assert.False(Directory.Exists(outDir));
    }
}
