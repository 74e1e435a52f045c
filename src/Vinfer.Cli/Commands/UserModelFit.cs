using System.CommandLine;
using Vinfer.Cli.Infrastructure;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>vinfer fit MODEL.cs --data FILE</c>: compiles the user's model (<see cref="UserModelCompiler"/>) and fits it
/// exactly as a built-in model (<see cref="ModelFit"/>). Compile errors are printed one per line, as the C# compiler
/// prints them, with a non-zero exit and no output files.
/// </summary>
public static class UserModelFit
{
    /// <summary>True when <paramref name="name"/> names a C# model file rather than a built-in model.</summary>
    public static bool IsModelFile(string name) => name.EndsWith(".cs", StringComparison.OrdinalIgnoreCase);

    /// <summary>Compiles and fits; returns the exit code.</summary>
    public static int Run(ParseResult pr, string path)
    {
        UserModelCompiler.Result compiled;
        try
        {
            compiled = UserModelCompiler.Compile(path);
        }
        catch (ArgumentException e)
        {
            return CliError.Report(pr, e.Message);
        }
        if (compiled.Model is null)
        {
            foreach (var line in compiled.Errors) pr.InvocationConfiguration.Error.WriteLine(PrintableText.Sanitize(line));
            return CliError.Report(pr, $"{path}: the model did not compile ({compiled.Errors.Count} error{(compiled.Errors.Count == 1 ? "" : "s")}).");
        }
        if (!pr.GetValue(ModelFitSettings.Quiet))
            pr.InvocationConfiguration.Error.WriteLine(FormattableString.Invariant(
                $"model '{compiled.Model.Name}' from {path}: {(compiled.FromCache ? "loaded compiled" : "compiled")} in {compiled.Seconds:F2} s"));
        return ModelFit.Run(pr, compiled.Model);
    }
}
