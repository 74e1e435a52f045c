using System.CommandLine;
using Vinfer.Cli.Commands;

namespace Vinfer.Cli;

/// <summary>Entry point of the <c>vinfer</c> command. Each subcommand lives in Commands/, one file each.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var root = BuildRootCommand();
        return root.Parse(args).Invoke();
    }

    /// <summary>The command tree; tests parse against it directly.</summary>
    public static RootCommand BuildRootCommand()
    {
        var root = new RootCommand("vinfer: variational inference for .NET");
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(ExperimentCommand.Create());
        root.Subcommands.Add(FitCommand.Create());
        root.Subcommands.Add(DataCommand.Create());
        return root;
    }
}
