using System.CommandLine;

namespace Vinfer.Cli.Commands;

/// <summary><c>vinfer bench …</c>: the benchmark workloads, one JSON object per line on standard output.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Run benchmark workloads and print one JSON object per line.");
        bench.Subcommands.Add(BenchAd.Create());
        bench.Subcommands.Add(BenchDist.Create());
        bench.Subcommands.Add(BenchSsm.Create());
        bench.Subcommands.Add(BenchIw.Create());
        bench.Subcommands.Add(BenchNn.Create());
        bench.Subcommands.Add(BenchFlow.Create());
        bench.Subcommands.Add(BenchMpi.Create());
        bench.Subcommands.Add(BenchFit.Create());
        return bench;
    }
}
