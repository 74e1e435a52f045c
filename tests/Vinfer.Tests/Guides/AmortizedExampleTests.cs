using System.Globalization;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Vinfer.Tests.Guides;

/// <summary>
/// examples/amortized_normal.cs, the user-style program of the automatic amortized guide: compiled here against the
/// built Vinfer.dll and run; its fit by SVI with subsampling must reach the closed-form mean-field (F-VI) optimum
/// of the conjugate normal model with local latents, which a linear encoder can represent exactly.
/// </summary>
public class AmortizedExampleTests
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

    /// <summary>Compiles a one-file program against Vinfer.dll and runs its Main with <paramref name="args"/>.</summary>
    internal static int CompileAndRun(string path, params string[] args)
    {
        var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(path), new CSharpParseOptions(LanguageVersion.Preview), path);
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var references = platform.Append(typeof(Vinfer.Tensors.Tensor).Assembly.Location).Distinct().Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("Example" + Guid.NewGuid().ToString("N"), [tree], references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        var assembly = Assembly.Load(image.ToArray());
        return (int)assembly.EntryPoint!.Invoke(null, [args])!;
    }

    [Fact]
    public void TheExampleReachesTheClosedFormMeanFieldOptimum()
    {
        string output = Path.Combine(Path.GetTempPath(), $"vinfer-amortized-{Guid.NewGuid():N}.txt");
        try
        {
            Assert.Equal(0, CompileAndRun(Example("amortized_normal.cs"), output));
            var rows = File.ReadAllLines(output).Select(l => l.Split(' ')).ToDictionary(p => p[0], p => (Fitted: double.Parse(p[1], CultureInfo.InvariantCulture), Exact: double.Parse(p[2], CultureInfo.InvariantCulture)));
            // The ELBO of any member of the family is at most the optimum's; the fit must be within 0.02 nats of it
            // (the fit reaches 0.003 nats with the example's step-size schedule).
            string all = string.Join("; ", rows.Select(r => $"{r.Key} {r.Value.Fitted} vs {r.Value.Exact}"));
            var (elbo, optimum) = rows["elbo"];
            Assert.True(elbo <= optimum + 1e-9, $"ELBO {elbo} above the closed-form optimum {optimum}");
            Assert.True(elbo >= optimum - 0.02, $"ELBO {elbo} more than 0.02 nats below the optimum {optimum}: {all}");
            foreach (var name in new[] { "slope", "intercept", "local_scale", "theta_loc", "theta_scale" })
                Assert.True(Math.Abs(rows[name].Fitted - rows[name].Exact) < 0.02, $"{name}: fitted {rows[name].Fitted}, exact {rows[name].Exact}");
        }
        finally
        {
            File.Delete(output);
        }
    }
}
