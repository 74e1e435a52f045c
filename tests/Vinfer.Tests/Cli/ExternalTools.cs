using System.Diagnostics;
using Xunit;

namespace Vinfer.Tests.Cli;

/// <summary>Programs outside .NET that some tests drive (Rscript, chromium), and the vinfer executable itself.</summary>
public static class ExternalTools
{
    /// <summary>The full path of <paramref name="name"/> on PATH, or null.</summary>
    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    /// <summary>The built vinfer executable beside the tests (the CLI project is referenced, so it is copied here).</summary>
    public static string Vinfer => Path.Combine(AppContext.BaseDirectory, "Vinfer.Cli.dll");

    /// <summary>A started process with redirected output (read them with <see cref="Process.StandardOutput"/>).</summary>
    public static Process Start(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        return Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
    }

    /// <summary>Runs a program to its end (at most <paramref name="timeoutSeconds"/>): exit code, standard output, standard error.</summary>
    public static (int Code, string Out, string Err) Run(int timeoutSeconds, string file, params string[] arguments)
    {
        using var p = Start(file, arguments);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} ran longer than {timeoutSeconds} s.");
        }
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs the vinfer executable in its own process.</summary>
    public static (int Code, string Out, string Err) RunVinfer(int timeoutSeconds, params string[] arguments) =>
        Run(timeoutSeconds, "dotnet", [Vinfer, .. arguments]);
}

/// <summary>A fact that is skipped, with the reason, when a program it needs is not on PATH.</summary>
public sealed class RequiresProgramFactAttribute : FactAttribute
{
    /// <summary>Skips unless <paramref name="program"/> is installed; <paramref name="package"/> says how to install it.</summary>
    public RequiresProgramFactAttribute(string program, string package)
    {
        if (ExternalTools.Find(program) is null) Skip = $"{program} is not installed (Debian: apt-get install {package}; .ci/run installs it).";
    }
}
