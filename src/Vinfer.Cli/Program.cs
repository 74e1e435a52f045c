using System.CommandLine;
using Vinfer.Cli.Commands;
using Vinfer.Cli.Infrastructure;

namespace Vinfer.Cli;

/// <summary>Entry point of the <c>vinfer</c> command. Each subcommand lives in Commands/, one file each.</summary>
public static class Program
{
    /// <summary>
    /// The managed program runs every command; the native build (<see cref="ManagedCommands"/>) runs the fits it
    /// was verified on and hands the rest to the managed program beside it.
    /// </summary>
    public static int Main(string[] args) =>
        ManagedCommands.IsSupported || ManagedCommands.RunsNatively(args, FitCommand.BuiltInModels)
            ? Run(args, new InvocationConfiguration())
            : ManagedCommands.Exec(args);

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
        // the native build has only `fit`: the AOT compiler drops the rest (Main hands their command lines over)
        if (ManagedCommands.IsSupported)
        {
            root.Subcommands.Add(BenchCommand.Create());
            root.Subcommands.Add(ExperimentCommand.Create());
        }
        root.Subcommands.Add(FitCommand.Create());
        if (ManagedCommands.IsSupported)
        {
            root.Subcommands.Add(ModelsCommand.Create());
            root.Subcommands.Add(SampleCommand.Create());
            root.Subcommands.Add(ReportCommand.Create());
            root.Subcommands.Add(DataCommand.Create());
        }
        return root;
    }
}
