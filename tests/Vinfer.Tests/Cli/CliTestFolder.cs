using System.CommandLine;
using Vinfer.Cli;

namespace Vinfer.Tests.Cli;

/// <summary>A temporary folder for a CLI test class's files, and the root command run in-process with captured output.</summary>
public abstract class CliTestFolder : IDisposable
{
    /// <summary>The folder, removed after the tests.</summary>
    protected string Folder { get; } = Path.Combine(Path.GetTempPath(), $"vinfer-cli-{Guid.NewGuid():N}");

    protected CliTestFolder() => Directory.CreateDirectory(Folder);

    public void Dispose()
    {
        Directory.Delete(Folder, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs <c>vinfer ARGS</c>: exit code, standard output, standard error.</summary>
    protected static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Program.Run(args, new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Writes a file in the folder and returns its path.</summary>
    protected string Write(string name, string content)
    {
        var p = Path.Combine(Folder, name);
        File.WriteAllText(p, content);
        return p;
    }
}
