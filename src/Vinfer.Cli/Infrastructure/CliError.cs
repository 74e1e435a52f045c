using System.CommandLine;

using Vinfer.Data;

namespace Vinfer.Cli.Infrastructure;

/// <summary>
/// One-line error reporting for commands: "vinfer &lt;command&gt;: error: message" on the invocation's error writer and a
/// non-zero exit code, instead of a stack trace.
/// </summary>
public static class CliError
{
    /// <summary>The exit code of a command that rejected its input or failed.</summary>
    public const int ExitCode = 1;

    /// <summary>Writes the error line (control characters and undecodable bytes shown as escapes, see <see cref="PrintableText"/>) and returns <see cref="ExitCode"/>.</summary>
    public static int Report(ParseResult parseResult, string message)
    {
        string command = string.Join(' ', CommandPath(parseResult));
        parseResult.InvocationConfiguration.Error.WriteLine($"vinfer {command}: error: {PrintableText.Sanitize(message)}");
        return ExitCode;
    }

    /// <summary>
    /// Runs <paramref name="action"/>, turning the exceptions that signal bad input or an unusable environment
    /// (argument, data, I/O, invalid operation) into a one-line report and a non-zero exit code.
    /// </summary>
    public static int Guard(ParseResult parseResult, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is ArgumentException or DataFormatException or IOException
                                       or InvalidOperationException or UnauthorizedAccessException or FormatException)
        {
            return Report(parseResult, MessageOf(e));
        }
    }

    /// <summary>
    /// The exception's message for a user: an <see cref="ArgumentException"/>'s without the " (Parameter 'name')" the
    /// runtime appends, which names a C# parameter the user never wrote.
    /// </summary>
    public static string MessageOf(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        string message = e.Message;
        if (e is ArgumentException { ParamName: { } name })
        {
            string suffix = $" (Parameter '{name}')";
            if (message.EndsWith(suffix, StringComparison.Ordinal)) message = message[..^suffix.Length];
        }
        return message;
    }

    private static IEnumerable<string> CommandPath(ParseResult parseResult)
    {
        var names = new List<string>();
        for (var r = parseResult.CommandResult; r is not null && r.Parent is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, r.Command.Name);
        return names;
    }
}
