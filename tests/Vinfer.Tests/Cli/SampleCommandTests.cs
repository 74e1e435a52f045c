using System.Globalization;
using Vinfer.Experiments.Reports;
using Xunit;

namespace Vinfer.Tests.Cli;

/// <summary><c>vinfer sample DIR</c>: more draws from approximation.json without refitting.</summary>
public class SampleCommandTests : CliTestFolder
{
    [Fact]
    public void TheFitsSeedAndCountReproduceTheFitsDrawsExactly()
    {
        string dir = Path.Combine(Folder, "fit");
        Assert.Equal(0, Run("fit", "eight_schools", "--steps", "400", "--seed", "5", "--draws", "300", "--out", dir).Code);
        var (code, output, err) = Run("sample", dir, "--draws", "300");
        Assert.True(code == 0, err);
        Assert.Contains("wrote 300 draws", output);
        // every line below the header comments (the header, the mean row, each draw with log p and log q) is equal
        static string[] Body(string path) => File.ReadAllLines(path).SkipWhile(l => l.StartsWith('#')).ToArray();
        Assert.Equal(Body(Path.Combine(dir, "draws.csv")), Body(Path.Combine(dir, "sample.csv")));
    }

    [Theory]
    [InlineData("fullrank")]
    [InlineData("lowrank")]
    [InlineData("flow")]
    [InlineData("map")]
    public void EveryFamilysApproximationReloadsToTheSameDraws(string family)
    {
        string dir = Path.Combine(Folder, family);
        Assert.Equal(0, Run("fit", "eight_schools", "--family", family, "--steps", "200", "--draws", "50", "--out", dir).Code);
        var (code, _, err) = Run("sample", dir, "--draws", "50");
        Assert.True(code == 0, err);
        static string[] Body(string path) => File.ReadAllLines(path).SkipWhile(l => l.StartsWith('#')).ToArray();
        Assert.Equal(Body(Path.Combine(dir, "draws.csv")), Body(Path.Combine(dir, "sample.csv")));
    }

    [Fact]
    public void AnSvgdFitHasNothingMoreToDraw()
    {
        string dir = Path.Combine(Folder, "svgd");
        Assert.Equal(0, Run("fit", "eight_schools", "--family", "svgd", "--steps", "50", "--out", dir).Code);
        var (code, _, err) = Run("sample", dir, "--draws", "50");
        Assert.Equal(1, code);
        Assert.Contains("SVGD fit's particle set", err);
    }

    [Fact]
    public void OtherSeedsGiveNewDrawsWithTheSameMoments()
    {
        string dir = Path.Combine(Folder, "fit2");
        Assert.Equal(0, Run("fit", "eight_schools", "--steps", "400", "--seed", "5", "--draws", "4000", "--out", dir).Code);
        string more = Path.Combine(Folder, "more.csv");
        Assert.Equal(0, Run("sample", dir, "--draws", "4000", "--seed", "99", "--out", more).Code);
        var a = StanCsvDraws.Load(Path.Combine(dir, "draws.csv"));
        var b = StanCsvDraws.Load(more);
        Assert.Equal(a.Names, b.Names);
        Assert.NotEqual(a.Columns[0], b.Columns[0]);
        for (int j = 0; j < a.Names.Length; j++)
        {
            double meanA = a.Columns[j].Average(), meanB = b.Columns[j].Average();
            var (varA, seVarA) = VarianceWithError(a.Columns[j]);
            var (varB, seVarB) = VarianceWithError(b.Columns[j]);
            // two independent samples of 4000: means and variances differ by at most 5 standard errors of their difference
            double se = Math.Sqrt((varA + varB) / 4000);
            Assert.True(Math.Abs(meanA - meanB) < 5 * se, $"{a.Names[j]}: means {meanA} and {meanB}, se {se}");
            Assert.True(Math.Abs(varA - varB) < 5 * Math.Sqrt(seVarA * seVarA + seVarB * seVarB), $"{a.Names[j]}: variances {varA} and {varB}");
        }
    }

    [Fact]
    public void AFolderWithoutAnApproximationIsRefused()
    {
        var (code, _, err) = Run("sample", Folder, "--draws", "10");
        Assert.Equal(1, code);
        Assert.Contains("approximation.json' does not exist", err);
        (code, _, err) = Run("sample", Folder, "--draws", "0");
        Assert.Equal(1, code);
        Assert.Contains("--draws is 0", err);
    }

    /// <summary>The sample variance and its standard error √((m₄ − s⁴)/n), which holds for any distribution with a fourth moment.</summary>
    private static (double Variance, double Error) VarianceWithError(double[] x)
    {
        double m = x.Average();
        double variance = x.Sum(v => (v - m) * (v - m)) / (x.Length - 1);
        double fourth = x.Sum(v => Math.Pow(v - m, 4)) / x.Length;
        return (variance, Math.Sqrt((fourth - variance * variance) / x.Length));
    }
}
