using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Vinfer.Tests.Architecture;

/// <summary>
/// Which namespace of the sources uses which: every source file under src/ is bound with Roslyn (one compilation,
/// the same references the projects build with), and each name in code (not in comments) that resolves to a type or
/// member of another Vinfer namespace adds the pair (file, referenced type) to the edge between the two namespaces.
/// The count of an edge is the number of such distinct pairs.
/// </summary>
internal sealed class NamespaceGraph
{
    private NamespaceGraph(Dictionary<(string From, string To), int> edges, IReadOnlyList<string> namespaces)
    {
        Edges = edges;
        Namespaces = namespaces;
    }

    /// <summary>(from, to) → number of distinct (file, referenced type) pairs.</summary>
    public IReadOnlyDictionary<(string From, string To), int> Edges { get; }

    /// <summary>Every namespace that declares code, sorted.</summary>
    public IReadOnlyList<string> Namespaces { get; }

    private static readonly Lazy<NamespaceGraph> OfSources = new(() => Build(RepositoryRoot()));

    /// <summary>The graph of this repository's src/ folder (built once per test run).</summary>
    public static NamespaceGraph Sources => OfSources.Value;

    /// <summary>The folder holding Vinfer.slnx, found walking up from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Vinfer.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException($"Vinfer.slnx was not found above {AppContext.BaseDirectory}.");
    }

    private static NamespaceGraph Build(string root)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Preview);
        var files = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), parse, f)).ToList();
        // The projects' implicit usings (ImplicitUsings=enable).
        trees.Add(CSharpSyntaxTree.ParseText(
            "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; " +
            "global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;", parse));
        var compilation = CSharpCompilation.Create("VinferSources", trees, References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));
        // Files with [LibraryImport] need the interop source generator, which this compilation does not run.
        var generated = trees.Where(t => t.GetText().ToString().Contains("[LibraryImport", StringComparison.Ordinal)).ToHashSet();
        var errors = compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && !generated.Contains(d.Location.SourceTree!))
            .Take(5).ToList();
        if (errors.Count > 0)
            throw new InvalidOperationException("The sources do not bind, so the graph would be incomplete:\n" + string.Join("\n", errors));

        var pairs = new HashSet<(string From, string To, string File, string Type)>();
        var declared = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var tree in trees.Where(t => t.FilePath.Length > 0))
        {
            var model = compilation.GetSemanticModel(tree);
            var treeRoot = tree.GetRoot();
            foreach (var decl in treeRoot.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>()) declared.Add(decl.Name.ToString());
            foreach (var name in treeRoot.DescendantNodes().OfType<SimpleNameSyntax>())
            {
                var from = Enclosing(name);
                if (from is null) continue;
                var symbol = model.GetSymbolInfo(name).Symbol ?? model.GetSymbolInfo(name).CandidateSymbols.FirstOrDefault();
                var type = symbol switch
                {
                    INamedTypeSymbol t => t,
                    IMethodSymbol { MethodKind: MethodKind.ReducedExtension } m => m.ReducedFrom?.ContainingType,
                    { ContainingType: { } t } => t,
                    _ => null,
                };
                while (type?.ContainingType is { } outer) type = outer;
                var to = type?.ContainingNamespace?.ToDisplayString();
                if (to is null || to == from || !to.StartsWith("Vinfer", StringComparison.Ordinal)) continue;
                pairs.Add((from, to, tree.FilePath, type!.ToDisplayString()));
            }
        }
        var edges = pairs.GroupBy(p => (p.From, p.To)).ToDictionary(g => g.Key, g => g.Count());
        return new NamespaceGraph(edges, declared.ToList());
    }

    private static string? Enclosing(SyntaxNode node) =>
        node.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault()?.Name.ToString()
        ?? node.SyntaxTree.GetRoot().DescendantNodes().OfType<FileScopedNamespaceDeclarationSyntax>().FirstOrDefault()?.Name.ToString();

    private static IEnumerable<MetadataReference> References()
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        // Third-party packages the projects use are copied next to the test binaries.
        string[] packages = ["MathNet.Numerics.dll", "System.Numerics.Tensors.dll", "System.CommandLine.dll", "Spectre.Console.dll"];
        var local = packages.Select(p => Path.Combine(AppContext.BaseDirectory, p)).Where(File.Exists);
        return platform.Concat(local).Distinct().Select(p => MetadataReference.CreateFromFile(p));
    }

    /// <summary>The namespaces of every strongly connected component with more than one member (each a cycle).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var nodes = Namespaces.Union(Edges.Keys.SelectMany(e => new[] { e.From, e.To })).Distinct().ToList();
        var next = nodes.ToDictionary(n => n, n => Edges.Keys.Where(e => e.From == n).Select(e => e.To).ToList());
        // Tarjan's algorithm.
        int index = 0;
        var indices = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var result = new List<IReadOnlyList<string>>();
        void Visit(string v)
        {
            indices[v] = low[v] = index++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in next[v])
            {
                if (!indices.ContainsKey(w)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (onStack.Contains(w)) low[v] = Math.Min(low[v], indices[w]);
            }
            if (low[v] != indices[v]) return;
            var component = new List<string>();
            string x;
            do { x = stack.Pop(); onStack.Remove(x); component.Add(x); } while (x != v);
            if (component.Count > 1) result.Add(component.OrderBy(c => c, StringComparer.Ordinal).ToList());
        }
        foreach (var n in nodes) if (!indices.ContainsKey(n)) Visit(n);
        return result;
    }

    /// <summary>The edges as lines "from -> to (count)", sorted.</summary>
    public string Format() => string.Join("\n", Edges.OrderBy(e => e.Key.From, StringComparer.Ordinal).ThenBy(e => e.Key.To, StringComparer.Ordinal)
        .Select(e => $"{e.Key.From} -> {e.Key.To} ({e.Value})"));
}
