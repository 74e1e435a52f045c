namespace Vinfer.Cli.Native;

/// <summary>The native vinfer's entry point: Vinfer.Cli's, with <see cref="Infrastructure.ManagedCommands.IsSupported"/> false.</summary>
public static class Program
{
    public static int Main(string[] args) => Vinfer.Cli.Program.Main(args);
}
