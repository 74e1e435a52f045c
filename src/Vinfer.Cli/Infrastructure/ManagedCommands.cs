using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using Vinfer.Models;

namespace Vinfer.Cli.Infrastructure;

/// <summary>
/// The split between the native <c>vinfer</c> (Native AOT, src/Vinfer.Cli.Native) and the managed Vinfer.Cli.dll
/// shipped beside it in the linux-x64 tool package. The native build runs only <c>vinfer fit</c> of a built-in model
/// (<see cref="RunsNatively"/>); every other command line is handed, exec-style with the same arguments, to the managed
/// program, which has the JIT compiler and dynamic assembly loading (Roslyn compiles user models at run time) and runs
/// the code that is not trim- or AOT-safe (Parquet.Net, reflection-based System.Text.Json).
/// <see cref="IsSupported"/> is a feature switch: the native build sets it to false at compile time, so the AOT
/// compiler removes every branch it guards, and with it the managed-only code and its trim warnings (the native
/// publish treats any remaining warning as an error).
/// </summary>
public static class ManagedCommands
{
    /// <summary>The feature switch's name (RuntimeHostConfigurationOption in src/Vinfer.Cli.Native).</summary>
    public const string SwitchName = "Vinfer.Cli.ManagedCommands.IsSupported";

    /// <summary>False only in the native build: the commands that need the JIT compiler or unreferenced code are not in it.</summary>
    [FeatureSwitchDefinition(SwitchName)]
    [FeatureGuard(typeof(RequiresUnreferencedCodeAttribute))]
    [FeatureGuard(typeof(RequiresDynamicCodeAttribute))]
    public static bool IsSupported => !AppContext.TryGetSwitch(SwitchName, out bool enabled) || enabled;

    /// <summary>The managed program the native build hands over to, beside it in the package.</summary>
    public const string ManagedAssembly = "Vinfer.Cli.dll";

    /// <summary>
    /// True when the native build runs <paramref name="args"/> itself: <c>fit NAME …</c> with NAME a built-in
    /// variational model (not ar1, gmm, lda or a C# file), no Parquet data (Parquet.Net is not AOT-safe), not
    /// distributed (its shards may be Parquet) and no help request. Conservative on purpose: anything else goes to the
    /// managed program, which accepts every command line.
    /// </summary>
    public static bool RunsNatively(IReadOnlyList<string> args, ModelRegistry models)
    {
        if (args.Count < 2 || args[0] != "fit" || !models.TryGet(args[1], out _)) return false;
        foreach (string a in args)
            if (a is "-h" or "--help" or "-?" or "/?" or "/h"
                || a.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)
                || a.StartsWith("--distributed", StringComparison.Ordinal) || a.StartsWith("--shards", StringComparison.Ordinal))
                return false;
        return true;
    }

    /// <summary>Thrown where managed-only code was removed from the native build; <see cref="RunsNatively"/> keeps it unreachable.</summary>
    public static InvalidOperationException NotInNativeBuild(string what) =>
        new($"{what} is not in the native vinfer; run the managed program: dotnet {Path.Combine(AppContext.BaseDirectory, ManagedAssembly)} ...");

    /// <summary>
    /// Replaces this process by <c>dotnet Vinfer.Cli.dll ARGS</c> (execv: same process id, standard streams, signals
    /// and exit code). The host is the first that exists of $DOTNET_HOST_PATH, $DOTNET_ROOT/dotnet, dotnet on PATH,
    /// /usr/share/dotnet/dotnet, /usr/lib/dotnet/dotnet. Returns only on failure, with a one-line error and exit code 1.
    /// </summary>
    public static int Exec(string[] args)
    {
        string managed = Path.Combine(AppContext.BaseDirectory, ManagedAssembly);
        if (!File.Exists(managed))
        {
            Console.Error.WriteLine($"vinfer: error: this command needs the managed program {managed}, which is missing beside the native vinfer; reinstall the tool (dotnet tool update Vinfer.Cli).");
            return CliError.ExitCode;
        }
        var tried = new List<string>();
        foreach (string host in HostCandidates())
        {
            tried.Add(host);
            if (!File.Exists(host)) continue;
            int errno = ProcessImage.Replace(host, [host, managed, .. args]);
            Console.Error.WriteLine($"vinfer: error: could not start {host} {managed}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
            return CliError.ExitCode;
        }
        Console.Error.WriteLine($"vinfer: error: this command runs on the .NET runtime, but no dotnet host was found (tried: {string.Join(", ", tried)}); set DOTNET_ROOT or put dotnet on PATH.");
        return CliError.ExitCode;
    }

    private static IEnumerable<string> HostCandidates()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath) yield return hostPath;
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root) yield return Path.Combine(root, "dotnet");
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            yield return Path.Combine(dir, "dotnet");
        yield return "/usr/share/dotnet/dotnet";
        yield return "/usr/lib/dotnet/dotnet";
    }
}
