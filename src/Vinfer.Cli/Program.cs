using System.CommandLine;
using Vinfer.Cli.Commands;
using Vinfer.Cli.Infrastructure;

namespace Vinfer.Cli;

/// <summary>Entry point of the <c>vinfer</c> command. Each subcommand lives in Commands/, one file each.</summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, new InvocationConfiguration());

    /// <summary>Parses and runs <c>vinfer ARGS</c>; parse errors are reported in words (<see cref="ParseErrors"/>).</summary>
    public static int Run(string[] args, InvocationConfiguration configuration)
    {
        var parsed = BuildRootCommand().Parse(args);
        return ParseErrors.Report(parsed, configuration.Error) ?? parsed.Invoke(configuration);
    }

    /// <summary>The command tree; tests parse against it directly.</summary>
    public static RootCommand BuildRootCommand()
    {
        var root = new RootCommand("vinfer: variational inference for .NET");
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(ExperimentCommand.Create());
        root.Subcommands.Add(FitCommand.Create());
        root.Subcommands.Add(ModelsCommand.Create());
        root.Subcommands.Add(SampleCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(DataCommand.Create());
        return root;
    }
}
