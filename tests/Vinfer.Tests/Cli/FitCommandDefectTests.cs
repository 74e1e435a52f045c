using System.Text.Json.Nodes;
using Vinfer.Cli.Commands;
using Vinfer.Cli.Infrastructure;
using Vinfer.Distributions;
using Vinfer.Inference;
using Vinfer.Modeling;

namespace Vinfer.Tests.Cli;

/// <summary>Defects of <c>vinfer fit</c> found by using it as a new user would (issue 14), each pinned by a test.</summary>
public class FitCommandDefectTests : CliTestFolder
{
    private string RegressionCsv()
    {
        var rows = new List<string> { "x1,x2,y" };
        var rng = new System.Random(3);
        for (int i = 0; i < 60; i++)
        {
            double x1 = rng.NextDouble() * 2 - 1, x2 = rng.NextDouble() * 2 - 1;
            rows.Add(FormattableString.Invariant($"{x1},{x2},{1 + 2 * x1 - x2 + 0.1 * (rng.NextDouble() - 0.5)}"));
        }
        return Write("reg.csv", string.Join('\n', rows) + "\n");
    }

    [Fact]
    public void MapFitsModelsWithPositiveParametersAndWritesTheirOutputs()
    {
        var outDir = Path.Combine(Folder, "map");
        var (code, stdout, stderr) = Run("fit", "eight_schools", "--family", "map", "--steps", "300", "--draws", "20", "--out", outDir);
        Assert.True(code == 0, stderr);
        Assert.Contains("tau", stdout);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!;
        Assert.Equal("map", (string?)summary["family"]);
        Assert.True((double)summary["parameters"]!["tau"]!["mean"]! >= 0);

        (code, stdout, stderr) = Run("fit", "linear_regression", "--data", RegressionCsv(), "--family", "map", "--steps", "1500", "--draws", "20");
        Assert.True(code == 0, stderr);
        Assert.Contains("sigma", stdout);
    }

    [Fact]
    public void TheNonNegativeConstraintHasASavedForm()
    {
        Assert.Equal("non_negative", ConstraintCodec.Encode(Constraints.NonNegative));
        Assert.IsType<NonNegativeConstraint>(ConstraintCodec.Decode("non_negative"));
        Assert.Equal("independent:1:non_negative", ConstraintCodec.Encode(Constraints.Independent(Constraints.NonNegative, 1)));
    }

    [Fact]
    public void AnOutputPathThatIsAFileIsRefusedBeforeTheFit()
    {
        var file = Write("taken", "not a folder");
        var (code, stdout, stderr) = Run("fit", "eight_schools", "--out", file, "--steps", "100000", "--tol", "1e-9");
        Assert.NotEqual(0, code);
        Assert.Contains($"--out '{file}' is a file, not a folder", stderr);
        Assert.Equal("", stdout); // no summary: the fit never ran
        Assert.Single(stderr.Trim().Split('\n'));

        (code, _, stderr) = Run("fit", "eight_schools", "--out", Path.Combine(file, "below"));
        Assert.NotEqual(0, code);
        Assert.Contains("is a file, so the folder cannot be created", stderr);
    }

    [Fact]
    public void AnUnwritableOutputFolderIsRefusedBeforeTheFitWithTheRightReason()
    {
        var (code, stdout, stderr) = Run("fit", "eight_schools", "--out", "/proc/x", "--steps", "100000", "--tol", "1e-9");
        Assert.NotEqual(0, code);
        Assert.Contains("--out '/proc/x' is not writable", stderr);
        Assert.DoesNotContain("Could not find", stderr);
        Assert.Equal("", stdout);
    }

    [Fact]
    public void AnOutputFolderThatDoesNotExistYetIsAcceptedAndCreated()
    {
        var outDir = Path.Combine(Folder, "a", "b");
        var (code, _, stderr) = Run("fit", "eight_schools", "--out", outDir, "--steps", "50", "--draws", "20");
        Assert.True(code == 0, stderr);
        Assert.True(File.Exists(Path.Combine(outDir, "summary.json")));
        Assert.Empty(Directory.GetFiles(outDir, "*.tmp")); // the write check leaves nothing behind
        Assert.Empty(Directory.GetFiles(Folder, "*.tmp"));
    }

    [Fact]
    public void ARankAboveTheDimensionIsRefusedNamingTheDimension()
    {
        var (code, stdout, stderr) = Run("fit", "eight_schools", "--family", "lowrank", "--rank", "50");
        Assert.NotEqual(0, code);
        Assert.Contains("--rank is 50, larger than the model's 10 unconstrained dimensions; use at most 10", stderr);
        Assert.Equal("", stdout);
        (code, _, stderr) = Run("fit", "eight_schools", "--family", "lowrank", "--rank", "10", "--steps", "50", "--draws", "20");
        Assert.True(code == 0, stderr);
    }

    [Fact]
    public void TheHelpShowsTheToleranceDefaultsThatAreUsed()
    {
        var (code, stdout, _) = Run("fit", "--help");
        Assert.Equal(0, code);
        Assert.DoesNotContain("1E-10", stdout);
        Assert.Contains("default 0.01", stdout);
        Assert.Contains("default 1e-10", stdout);
    }

    [Theory]
    [InlineData("--x0", "0.5", "ar1")]
    [InlineData("--components", "3", "gmm")]
    [InlineData("--topics", "3", "lda")]
    [InlineData("--max-iterations", "10", "ar1, gmm")]
    public void OptionsOfOtherModelsAreRefused(string option, string value, string owners)
    {
        var (code, stdout, stderr) = Run("fit", "eight_schools", option, value);
        Assert.NotEqual(0, code);
        Assert.Contains($"{option} does not apply to model 'eight_schools'; it applies to: {owners}.", stderr);
        Assert.Equal("", stdout);
    }

    [Fact]
    public void OptionsOfTheBuiltInModelsAreRefusedOnAr1()
    {
        var series = Write("s.csv", "1\n2\n1.5\n1.2\n0.9\n");
        var (code, _, stderr) = Run("fit", "ar1", "--data", series, "--family", "fullrank");
        Assert.NotEqual(0, code);
        Assert.Contains("--family does not apply to model 'ar1'; it applies to: built-in models.", stderr);
    }

    [Theory]
    [InlineData("--steps", "abc", "an integer")]
    [InlineData("--particles", "1.5", "an integer")]
    [InlineData("--tol", "small", "a number")]
    [InlineData("--max-log-scale", "six", "a number")]
    [InlineData("--seed", "-1", "a non-negative integer")]
    public void ParseErrorsSayWhatIsExpectedInWords(string option, string value, string expected)
    {
        var (code, stdout, stderr) = Run("fit", "eight_schools", option, value);
        Assert.NotEqual(0, code);
        Assert.DoesNotContain("System.", stderr);
        Assert.DoesNotContain("`1", stderr);
        Assert.Contains($"'{value}'", stderr);
        Assert.Contains(expected, stderr);
        Assert.Contains("vinfer fit: error:", stderr);
        Assert.Equal("", stdout);
    }

    [Fact]
    public void ABinaryCsvIsReportedOnOnePrintableLine()
    {
        var path = Path.Combine(Folder, "binary.csv");
        // a cell of raw bytes: an ANSI escape sequence, NUL, BEL, a carriage return and bytes that are not UTF-8
        var bytes = "x1,y\n1,"u8.ToArray().Concat(new byte[] { 0x1b, (byte)'[', (byte)'2', (byte)'J', 0x00, 0x07, 0xff, 0xfe, (byte)'\r', 0x01, 0x9b, (byte)'\n' }).ToArray();
        File.WriteAllBytes(path, bytes);
        var (code, _, stderr) = Run("fit", "linear_regression", "--data", path);
        Assert.NotEqual(0, code);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain(stderr.TrimEnd('\n'), c => c < 0x20 || c == 0x7f || c == '\uFFFD');
        Assert.Contains("binary.csv", stderr);
        Assert.Contains("line 2, column 2", stderr); // the reader names the cell; its bytes are replaced or escaped
    }

    [Fact]
    public void PrintableTextEscapesControlCharactersAndCutsLongMessages()
    {
        Assert.Equal("a\\x1b[2Jb\\x00c\\ufffd", PrintableText.Sanitize("a\u001b[2Jb\u0000c\uFFFD"));
        Assert.Equal("θ ≥ 0 k̂", PrintableText.Sanitize("θ ≥ 0 k̂"));
        var cut = PrintableText.Sanitize(new string('x', 5000));
        Assert.Equal(PrintableText.MaxLength + 1, cut.Length);
        Assert.EndsWith("…", cut);
    }

    [Fact]
    public void LearningRateChangesTheFitAndIsChecked()
    {
        var a = Run("fit", "eight_schools", "--steps", "100", "--draws", "20", "--seed", "3");
        var b = Run("fit", "eight_schools", "--steps", "100", "--draws", "20", "--seed", "3", "--learning-rate", "0.005");
        Assert.Equal(0, a.Code);
        Assert.Equal(0, b.Code);
        static string Table(string s) => string.Join('\n', s.Split('\n').Skip(1));
        Assert.NotEqual(Table(a.Out), Table(b.Out));
        var bad = Run("fit", "eight_schools", "--learning-rate", "-1");
        Assert.NotEqual(0, bad.Code);
        Assert.Contains("--learning-rate is -1, expected a positive finite number", bad.Err);
        bad = Run("fit", "eight_schools", "--method", "alpha-moments", "--learning-rate", "0.1");
        Assert.Contains("--learning-rate does not apply to --method alpha-moments", bad.Err);
    }

    [Fact]
    public void QuietDropsTheProgressLinesButNotTheSummary()
    {
        var loud = Run("fit", "eight_schools", "--steps", "100", "--draws", "20");
        var quiet = Run("fit", "eight_schools", "--steps", "100", "--draws", "20", "--quiet");
        Assert.Contains("step ", loud.Err);
        Assert.Equal("", quiet.Err);
        Assert.Contains("theta_trans[8]", quiet.Out);
    }

    [Fact]
    public void ThreadsSetsTheKernelThreadCapAndIsChecked()
    {
        int before = Vinfer.Tensors.Kernels.Blas.MaxThreads;
        try
        {
            var (code, _, stderr) = Run("fit", "eight_schools", "--steps", "20", "--draws", "20", "--threads", "1");
            Assert.True(code == 0, stderr);
            Assert.Equal(1, Vinfer.Tensors.Kernels.Blas.MaxThreads);
            (code, _, stderr) = Run("fit", "eight_schools", "--threads", "0");
            Assert.NotEqual(0, code);
            Assert.Contains("--threads is 0, expected at least 1", stderr);
        }
        finally
        {
            Vinfer.Tensors.Kernels.Blas.MaxThreads = before;
        }
    }

    [Fact]
    public void ProgressOfAConvergingFitShowsStepsAndTheStatisticNotAPercentOfTheCap()
    {
        var line = FitProgress.Describe(new SviProgress(800, -31.5, 1200, 10_000), "eight_schools", "ELBO", 0.01, 0, 0.0042);
        Assert.Equal("eight_schools  step 800 (at most 10000)  ELBO -31.5  rel. change 0.0042 (tol 0.01)  1200 steps/s", line);
        Assert.DoesNotContain("%", line);
        // averaging after 500 optimization steps: the line counts averaging steps on their own
        line = FitProgress.Describe(new SviProgress(800, -31.5, 1200, 800), "m", "ELBO", 0.01, 300, double.NaN);
        Assert.StartsWith("m  averaging step 300/300 (after 500 optimization steps)", line);
        line = FitProgress.Describe(new SviProgress(40, -31.5, 1200, 100), "m", "ELBO", null, 0, double.NaN);
        Assert.StartsWith("m  step 40/100  ELBO", line);
    }

    [Fact]
    public void TheConvergenceStatisticIsTheRelativeChangeOfWindowMeans()
    {
        var w = new FitProgress.WindowedChange(2);
        w.Add(-10);
        w.Add(-12); // mean -11
        Assert.True(double.IsNaN(w.Change));
        w.Add(-9);
        w.Add(-11); // mean -10
        Assert.Equal(0.1, w.Change, 12);
    }

    [Fact]
    public void ModelsListsEveryBuiltInModelWithItsDataFields()
    {
        var (code, stdout, _) = Run("models");
        Assert.Equal(0, code);
        Assert.Contains("eight_schools\n    Hierarchical normal model of eight schools", stdout);
        Assert.Contains("data: J, y, sigma; bundled data", stdout);
        Assert.Contains("linear_regression", stdout);
        Assert.Contains("data: N, D, X[N,D], y[N]; give --data FILE", stdout);
        foreach (var name in FitCommand.BuiltInModels.Names) Assert.Contains($"\n{name}\n", "\n" + stdout);
        Assert.Contains("\nar1\n", stdout);
    }
}
