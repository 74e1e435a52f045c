using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Vinfer.Cli.Commands;

/// <summary>
/// A model written as a script body: a C# file of top-level statements that is the model program itself (Pyro's and
/// NumPyro's model functions; a Stan program's model block), reading its data through <c>Data</c>:
/// <code>
/// var y = Data.Vector("y");
/// var mu = Sample("mu", new Normal(0.0, 10.0));
/// using (Plate("data", y.Count)) Sample("y", new Normal(mu, Tensor.Scalar(1.0)), y);
/// </code>
/// The file is wrapped into a <see cref="Vinfer.Models.BuiltInModel"/> whose program runs the statements; each
/// <c>Data</c> field is read and checked once per bound data set, not on every run. <c>#line</c> directives map the
/// wrapped text back to the user's file, so compile errors name its lines and columns. Type declarations after the
/// statements stay types; using directives before them stay usings.
/// </summary>
internal static class ScriptModelSource
{
    /// <summary>The namespaces a script body sees besides the implicit usings.</summary>
    private static readonly string[] ModelUsings =
        ["Vinfer.Data", "Vinfer.Distributions", "Vinfer.Models", "Vinfer.Tensors"];

    /// <summary>True when <paramref name="tree"/> has top-level statements (the script-body form).</summary>
    public static bool IsScript(SyntaxTree tree) => tree.GetCompilationUnitRoot().Members.OfType<GlobalStatementSyntax>().Any();

    /// <summary>The wrapped source of the script in <paramref name="tree"/> (from <paramref name="path"/>), named after the file.</summary>
    public static string Wrap(SyntaxTree tree, string path)
    {
        var root = tree.GetCompilationUnitRoot();
        var text = tree.GetText();
        var statements = root.Members.OfType<GlobalStatementSyntax>().ToList();
        int first = text.Lines.GetLineFromPosition(statements[0].SpanStart).LineNumber;
        int last = text.Lines.GetLineFromPosition(statements[^1].Span.End).LineNumber;
        string file = path.Replace("\"", "", StringComparison.Ordinal);
        string name = Path.GetFileNameWithoutExtension(path);
        var sb = new StringBuilder();
        // the lines before the statements (usings, comments), verbatim at their own line numbers
        sb.Append("#line 1 \"").Append(file).Append("\"\n");
        AppendLines(sb, text, 0, first - 1);
        sb.Append("#line hidden\n");
        foreach (var u in ModelUsings) sb.Append("using ").Append(u).Append(";\n");
        sb.Append("using static Vinfer.Modeling.Primitives;\n");
        // types declared after the statements stay at namespace level, each at its own lines
        foreach (var member in root.Members.Where(m => m is not GlobalStatementSyntax))
        {
            int from = text.Lines.GetLineFromPosition(member.FullSpan.Start).LineNumber;
            int to = text.Lines.GetLineFromPosition(member.Span.End).LineNumber;
            if (from <= last) from = last + 1;
            sb.Append("#line ").Append(from + 1).Append(" \"").Append(file).Append("\"\n");
            AppendLines(sb, text, from, to);
            sb.Append("#line hidden\n");
        }
        sb.Append($$"""
            public sealed class VinferScriptModel : BuiltInModel
            {
                private readonly ScriptData Data;
                public VinferScriptModel() : this(null) { }
                private VinferScriptModel(StanData? data) { Data = new ScriptData(data); }
                public override string Name => "{{Escape(name)}}";
                public override string Description => "Script-body model from {{Escape(Path.GetFileName(path))}}.";
                public override Action Bind(StanData data) => new VinferScriptModel(data ?? throw new ArgumentNullException(nameof(data))).Program;
                /// <summary>The data fields, each read and checked once.</summary>
                public sealed class ScriptData(StanData? data)
                {
                    private readonly Dictionary<string, object> _read = new(StringComparer.Ordinal);
                    private T Read<T>(string name, Func<StanData, T> read) where T : notnull
                    {
                        if (_read.TryGetValue(name, out var value)) return (T)value;
                        var v = read(data ?? throw new InvalidOperationException("the model has no data bound"));
                        _read[name] = v;
                        return v;
                    }
                    public bool Contains(string name) => data?.Contains(name) ?? false;
                    public int Int(string name) => Read("int:" + name, d => d.GetInt(name));
                    public double Real(string name) => Read("real:" + name, d => d.GetReal(name));
                    public Tensor Vector(string name) => Read("vector:" + name, d => d.GetVector(name));
                    public Tensor Matrix(string name) => Read("matrix:" + name, d => d.GetMatrix(name));
                    public Tensor Array(string name) => Read("array:" + name, d => d.GetArray(name));
                    public int[] IntArray(string name) => Read("ints:" + name, d => d.GetIntArray(name));
                }
                private void Program()
                {

            """);
        sb.Append("#line ").Append(first + 1).Append(" \"").Append(file).Append("\"\n");
        AppendLines(sb, text, first, last);
        sb.Append("#line hidden\n    }\n}\n");
        return sb.ToString();
    }

    private static void AppendLines(StringBuilder sb, SourceText text, int from, int to)
    {
        for (int i = from; i <= to && i < text.Lines.Count; i++) sb.Append(text.Lines[i].ToString()).Append('\n');
    }

    private static string Escape(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
