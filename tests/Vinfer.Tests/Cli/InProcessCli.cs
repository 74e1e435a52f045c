using System.CommandLine;
using Vinfer.Cli;

namespace Vinfer.Tests.Cli;

/// <summary>Runs the <c>vinfer</c> command in this process, with its standard output and error captured.</summary>
public static class InProcessCli
{
    /// <summary>The exit code and what the command wrote to standard output and standard error.</summary>
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Program.BuildRootCommand().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
