using System.CommandLine;
using System.Text.RegularExpressions;

namespace Vinfer.Cli.Infrastructure;

/// <summary>
/// Command-line parse errors in words: System.CommandLine names the expected .NET type
/// (<c>System.Nullable`1[System.Int32]</c>); users are told "an integer", "a number" and so on, one line per error,
/// then where to find the command's help.
/// </summary>
public static class ParseErrors
{
    /// <summary>Writes the parse result's errors and returns <see cref="CliError.ExitCode"/>, or returns null when there are none.</summary>
    public static int? Report(ParseResult parseResult, TextWriter error)
    {
        if (parseResult.Errors.Count == 0) return null;
        string command = string.Join(' ', CommandPath(parseResult));
        string prefix = command.Length == 0 ? "vinfer" : $"vinfer {command}";
        foreach (var e in parseResult.Errors) error.WriteLine($"{prefix}: error: {PrintableText.Sanitize(Readable(e.Message))}");
        error.WriteLine($"Run '{prefix} --help' for the options.");
        return CliError.ExitCode;
    }

    /// <summary>The message with .NET type names replaced by words.</summary>
    public static string Readable(string message) => TypeName.Replace(message, m => Describe(m.Groups["type"].Value));

    private static string Describe(string type) => type switch
    {
        "Int32" or "Int64" or "Int16" => "an integer",
        "UInt32" or "UInt64" or "UInt16" or "Byte" => "a non-negative integer",
        "Double" or "Single" or "Decimal" => "a number",
        "Boolean" => "true or false",
        "String" => "text",
        _ => type,
    };

    private static IEnumerable<string> CommandPath(ParseResult parseResult)
    {
        var names = new List<string>();
        for (var r = parseResult.CommandResult; r is not null && r.Parent is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, r.Command.Name);
        return names;
    }

    // 'System.Nullable`1[System.Int32]' or 'System.Int32' (with or without the quotes)
    private static readonly Regex TypeName = new(@"(?:expected type )?'?System\.Nullable`1\[System\.(?<type>\w+)\]'?|(?:expected type )?'System\.(?<type>\w+)'", RegexOptions.CultureInvariant);
}
