using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Vinfer.IO;
using Vinfer.Models;

namespace Vinfer.Cli.Commands;

/// <summary>
/// Compiles a model written in C# (a file with one public non-abstract class deriving from <see cref="BuiltInModel"/>
/// with a parameterless constructor, or a script body of top-level statements, <see cref="ScriptModelSource"/>) at run
/// time with Roslyn, against the Vinfer library this tool runs with. The
/// file sees the usual implicit usings (System, System.Collections.Generic, System.Linq…). Compile errors come back
/// as <c>FILE(line,col): error CSxxxx: message</c>, as the C# compiler prints them. The compiled assembly is cached by
/// the SHA-256 of the source and the library's module version id, so an unchanged model is compiled once.
/// </summary>
public static class UserModelCompiler
{
    private static readonly string[] ImplicitUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Threading", "System.Threading.Tasks"];

    /// <summary>The outcome of a compilation: the model, or the error lines; whether the cache served it; the seconds taken.</summary>
    public sealed record Result(BuiltInModel? Model, IReadOnlyList<string> Errors, bool FromCache, double Seconds);

    /// <summary>Tests point the cache at their own folder.</summary>
    internal static string? CacheFolderOverride { get; set; }

    /// <summary>The cache folder: VINFER_MODEL_CACHE, else the user's local application data (or the temp folder).</summary>
    public static string CacheFolder
    {
        get
        {
            if (CacheFolderOverride is { } folder) return folder;
            if (Environment.GetEnvironmentVariable("VINFER_MODEL_CACHE") is { Length: > 0 } dir) return dir;
            string root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            return Path.Combine(root.Length > 0 ? root : Path.GetTempPath(), "vinfer", "models");
        }
    }

    /// <summary>Compiles (or loads from the cache) the model in <paramref name="path"/>.</summary>
    public static Result Compile(string path, bool useCache = true)
    {
        if (!File.Exists(path)) throw new ArgumentException($"model file '{path}' does not exist.");
        var clock = Stopwatch.StartNew();
        string source = File.ReadAllText(path);
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var tree = CSharpSyntaxTree.ParseText(source, parse, path, Encoding.UTF8);
        // a script body (top-level statements) is wrapped into a model class, its #line directives pointing back here
        if (ScriptModelSource.IsScript(tree))
        {
            source = ScriptModelSource.Wrap(tree, path);
            tree = CSharpSyntaxTree.ParseText(source, parse, path, Encoding.UTF8);
        }
        string key = CacheKey(source);
        string cached = Path.Combine(CacheFolder, key + ".dll");
        if (useCache && File.Exists(cached))
        {
            try
            {
                var fromCache = Instantiate(Assembly.Load(File.ReadAllBytes(cached)), path);
                return new Result(fromCache, [], true, clock.Elapsed.TotalSeconds);
            }
            catch (BadImageFormatException) { } // a damaged cache entry: compile again
        }

        var trees = new[]
        {
            tree,
            CSharpSyntaxTree.ParseText(string.Concat(ImplicitUsings.Select(u => $"global using global::{u};\n")), parse, "implicit-usings.cs", Encoding.UTF8),
        };
        var compilation = CSharpCompilation.Create(
            $"VinferUserModel_{key[..16]}",
            trees,
            References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(Format).ToList();
        if (!emitted.Success) return new Result(null, errors, false, clock.Elapsed.TotalSeconds);
        byte[] bytes = image.ToArray();
        var model = Instantiate(Assembly.Load(bytes), path);
        if (useCache)
        {
            try { AtomicFile.WriteBytes(cached, bytes); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // no cache: compile next time
        }
        return new Result(model, [], false, clock.Elapsed.TotalSeconds);
    }

    /// <summary>"FILE(line,col): error CSxxxx: message", lines and columns from 1.</summary>
    internal static string Format(Diagnostic d)
    {
        var span = d.Location.GetMappedLineSpan();
        string where = d.Location.IsInSource
            ? $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): "
            : "";
        return $"{where}error {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    private static BuiltInModel Instantiate(Assembly assembly, string path)
    {
        var types = assembly.GetTypes().Where(t => !t.IsAbstract && typeof(BuiltInModel).IsAssignableFrom(t)).ToList();
        if (types.Count != 1)
            throw new ArgumentException(types.Count == 0
                ? $"{path}: no class deriving from Vinfer.Models.BuiltInModel; a model file defines one (see docs/user-models.md)."
                : $"{path}: {types.Count} classes derive from BuiltInModel ({string.Join(", ", types.Select(t => t.Name))}); a model file defines one.");
        var type = types[0];
        if (type.GetConstructor(Type.EmptyTypes) is null) throw new ArgumentException($"{path}: class {type.Name} needs a public parameterless constructor.");
        return (BuiltInModel)Activator.CreateInstance(type)!;
    }

    private static string CacheKey(string source)
    {
        var mvid = typeof(BuiltInModel).Assembly.ManifestModule.ModuleVersionId;
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(mvid.ToString("N") + "\n" + source));
        return Convert.ToHexStringLower(hash);
    }

    private static ImmutableArray<MetadataReference> References()
    {
        var paths = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
            .ToHashSet(StringComparer.Ordinal);
        paths.Add(typeof(BuiltInModel).Assembly.Location);
        return [.. paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }
}
