using System.Globalization;
using System.Text.Json.Nodes;
using Vinfer.Cli.Commands;

namespace Vinfer.Tests.Cli;

/// <summary><c>vinfer fit MODEL.cs</c>: a model written in C#, compiled at run time and fitted like a built-in one.</summary>
public class UserModelFitTests : CliTestFolder
{
    private static string Example(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var p = Path.Combine(dir.FullName, "examples", name);
            if (File.Exists(p)) return p;
        }
        throw new FileNotFoundException($"examples/{name} not found above {AppContext.BaseDirectory}");
    }

    public UserModelFitTests() => UserModelCompiler.CacheFolderOverride = Path.Combine(Folder, "cache");

    [Fact]
    public void TheExampleModelFitsItsConjugatePosterior()
    {
        var outDir = Path.Combine(Folder, "out");
        var (code, stdout, stderr) = Run("fit", Example("normal_mean.cs"), "--data", Example("normal_mean.json"), "--family", "fullrank", "--draws", "4000", "--quiet", "--out", outDir);
        Assert.True(code == 0, stderr);
        Assert.StartsWith("normal_mean, fullrank:", stdout);
        // exact posterior: 1/s² = 1/s0² + N/sigma², m = s²·(m0/s0² + Σy/sigma²)
        double[] y = [1.2, 0.4, 2.1, 1.7, 0.9, 1.4, 2.6, 0.3, 1.1, 1.9];
        double variance = 1 / (1 / 4.0 + y.Length), mean = variance * y.Sum(), sd = Math.Sqrt(variance);
        var mu = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!["parameters"]!["mu"]!;
        // 5 Monte Carlo standard errors of 4000 draws, plus 0.02 for stopping at Stan's relative tolerance 0.01
        Assert.InRange((double)mu["mean"]!, mean - 5 * sd / Math.Sqrt(4000) - 0.02, mean + 5 * sd / Math.Sqrt(4000) + 0.02);
        Assert.InRange((double)mu["sd"]! / sd, 0.9, 1.1);
        Assert.Equal("normal_mean", (string?)JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!["model"]);
    }

    [Fact]
    public void CompileErrorsAreReportedByLineAndColumnWithNoOutput()
    {
        var model = Write("bad.cs", "using Vinfer.Models;\npublic sealed class Bad : BuiltInModel\n{\n    public override string Name => 42;\n}\n");
        var data = Write("d.json", "{}");
        var outDir = Path.Combine(Folder, "out");
        var (code, stdout, stderr) = Run("fit", model, "--data", data, "--out", outDir);
        Assert.NotEqual(0, code);
        Assert.Equal("", stdout);
        Assert.Contains($"{model}(4,36): error CS0029: Cannot implicitly convert type 'int' to 'string'", stderr);
        Assert.Contains($"{model}(2,21): error CS0534:", stderr);
        Assert.Contains("the model did not compile (3 errors)", stderr);
        Assert.False(Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any());
    }

    [Fact]
    public void AFileWithoutAModelClassIsRefusedByName()
    {
        var model = Write("empty.cs", "public static class Nothing { }\n");
        var (code, _, stderr) = Run("fit", model, "--data", Write("d.json", "{}"));
        Assert.NotEqual(0, code);
        Assert.Contains("no class deriving from Vinfer.Models.BuiltInModel", stderr);
        (code, _, stderr) = Run("fit", Path.Combine(Folder, "missing.cs"));
        Assert.NotEqual(0, code);
        Assert.Contains("missing.cs' does not exist", stderr);
    }

    [Fact]
    public void AnUnchangedModelIsCompiledOnceThenLoadedFromTheCache()
    {
        var first = UserModelCompiler.Compile(Example("normal_mean.cs"));
        var second = UserModelCompiler.Compile(Example("normal_mean.cs"));
        Assert.NotNull(first.Model);
        Assert.False(first.FromCache);
        Assert.True(second.FromCache);
        Assert.Equal("normal_mean", second.Model!.Name);
        Assert.Single(Directory.GetFiles(Path.Combine(Folder, "cache"), "*.dll"));
        // a changed source is a different entry
        var changed = Write("normal_mean.cs", File.ReadAllText(Example("normal_mean.cs")).Replace("Mean of normal data", "Mean of the data", StringComparison.Ordinal));
        var third = UserModelCompiler.Compile(changed);
        Assert.False(third.FromCache);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(Folder, "cache"), "*.dll").Length);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"Mean of the data with a known scale sigma and a normal(m0, s0) prior."), third.Model!.Description);
    }

    [Fact]
    public void AScriptBodyModelFitsTheSameConjugatePosterior()
    {
        var outDir = Path.Combine(Folder, "script");
        var (code, stdout, stderr) = Run("fit", Example("normal_mean_script.cs"), "--data", Example("normal_mean.json"), "--family", "fullrank", "--draws", "4000", "--quiet", "--out", outDir);
        Assert.True(code == 0, stderr);
        Assert.StartsWith("normal_mean_script, fullrank:", stdout);
        double[] y = [1.2, 0.4, 2.1, 1.7, 0.9, 1.4, 2.6, 0.3, 1.1, 1.9];
        double variance = 1 / (1 / 4.0 + y.Length), mean = variance * y.Sum(), sd = Math.Sqrt(variance);
        var mu = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!["parameters"]!["mu"]!;
        Assert.InRange((double)mu["mean"]!, mean - 5 * sd / Math.Sqrt(4000) - 0.02, mean + 5 * sd / Math.Sqrt(4000) + 0.02);
        Assert.InRange((double)mu["sd"]! / sd, 0.9, 1.1);
    }

    [Fact]
    public void ScriptCompileErrorsNameTheLinesAndColumnsOfTheUsersFile()
    {
        // line 1 a comment, line 2 a using, errors on lines 4 and 5 and in a type declared after the statements (line 9)
        var model = Write("bad_script.cs", """
            // a script body with three mistakes
            using System.Globalization;

            var mu = Sample("mu", new Normal(0.0, 1.0))
            int k = "a";
            Sample("y", new Normal(mu, Tensor.Scalar(Helper.Scale)), Data.Vector("y"));

            static class Helper
            {   public static double Scale => "one";
            }
            """);
        var outDir = Path.Combine(Folder, "out");
        var (code, stdout, stderr) = Run("fit", model, "--data", Write("d.json", "{\"y\": [1, 2]}"), "--out", outDir);
        Assert.NotEqual(0, code);
        Assert.Equal("", stdout);
        Assert.Contains($"{model}(4,44): error CS1002: ; expected", stderr);
        Assert.Contains($"{model}(5,9): error CS0029: Cannot implicitly convert type 'string' to 'int'", stderr);
        Assert.Contains($"{model}(9,35): error CS0029: Cannot implicitly convert type 'string' to 'double'", stderr);
        Assert.Contains("the model did not compile (3 errors)", stderr);
        Assert.False(Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any());
    }

    [Fact]
    public void AScriptWithUsingsAndATypeAfterItRunsAndAMissingFieldIsOneError()
    {
        // usings before the statements and a type after them keep their places
        var model = Write("counted.cs", """
            using System.Threading;

            Counter.Runs++;
            var y = Data.Vector("y");
            var mu = Sample("mu", new Normal(0.0, 10.0));
            using (Plate("data", y.Count)) Sample("y", new Normal(mu, Tensor.Scalar(1.0)), y);

            public static class Counter { public static int Runs; }
            """);
        var compiled = UserModelCompiler.Compile(model);
        Assert.True(compiled.Model is not null, string.Join("\n", compiled.Errors));
        Assert.Equal("counted", compiled.Model.Name);
        var program = compiled.Model.Bind(Vinfer.Data.StanData.Parse("""{"y": [0.5, 1.5]}"""));
        Vinfer.Modeling.Trace trace;
        using (Vinfer.Modeling.Handlers.Handle.Seed(1)) trace = Vinfer.Modeling.Handlers.Handle.TraceOf(program);
        Assert.Equal([0.5, 1.5], trace.Sites.Single(site => site.Name == "y").Value!.ToArray());

        var (code, _, stderr) = Run("fit", model, "--data", Write("no-y.json", "{\"x\": [1]}"), "--out", Path.Combine(Folder, "o"));
        Assert.NotEqual(0, code);
        var error = Assert.Single(stderr.Trim().Split('\n'), line => line.StartsWith("vinfer fit: error:", StringComparison.Ordinal));
        Assert.Contains("'y'", error);
    }
}
