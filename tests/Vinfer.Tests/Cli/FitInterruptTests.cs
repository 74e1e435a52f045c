using System.Diagnostics;
using System.Text;

namespace Vinfer.Tests.Cli;

/// <summary>
/// Ctrl-C during a fit on a terminal: the real CLI runs under a pseudo-terminal (util-linux <c>script</c>), so its live
/// progress display is on and hides the cursor; a Ctrl-C typed into the terminal (the line discipline turns it into
/// SIGINT) must leave the cursor shown, exit non-zero and write no output files.
/// </summary>
public class FitInterruptTests : CliTestFolder
{
    [RequiresProgramFact("script", "bsdutils")]
    public void CtrlCShowsTheCursorAgainExitsNonZeroAndWritesNothing()
    {
        string output = Path.Combine(Folder, "out");
        // A shell starts a background job (`.ci/run &`) with SIGINT ignored, every descendant inherits that, and the
        // .NET runtime leaves a signal that was ignored at start-up ignored; so Ctrl-C would be ignored, as a
        // background job's should. Reset it for the fit, which is what a user's foreground terminal gives it.
        string command = $"exec env --default-signal=INT dotnet '{ExternalTools.Vinfer}' fit eight_schools --steps 2000000 --out '{output}'";
        var info = new ProcessStartInfo("script")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-qefc", command, "/dev/null" }) info.ArgumentList.Add(a);
        info.Environment["TERM"] = "xterm";
        using var process = Process.Start(info)!;
        var seen = new StringBuilder();
        var reader = Task.Run(() =>
        {
            var buffer = new char[4096];
            for (int n; (n = process.StandardOutput.Read(buffer, 0, buffer.Length)) > 0;)
                lock (seen) seen.Append(buffer, 0, n);
        });
        var clock = Stopwatch.StartNew();
        bool progress = false;
        while (!progress && clock.Elapsed < TimeSpan.FromSeconds(120) && !process.HasExited)
        {
            Thread.Sleep(100);
            lock (seen) progress = seen.ToString().Contains("step ");
        }
        try
        {
            Assert.True(progress, $"no progress display within {clock.Elapsed.TotalSeconds:F0} s: {seen}");
            Thread.Sleep(300); // a few redraws of the live display, cursor hidden
            process.StandardInput.Write('\u0003'); // Ctrl-C typed at the terminal
            process.StandardInput.Flush();
            Assert.True(process.WaitForExit(60_000), "the fit did not stop on Ctrl-C");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        reader.Wait(10_000);
        string text;
        lock (seen) text = seen.ToString();
        Assert.Contains("\u001b[?25l", text); // the display did hide the cursor
        Assert.EndsWith("\u001b[?25h", text.TrimEnd('\r', '\n'));
        Assert.NotEqual(0, process.ExitCode);
        Assert.False(Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any(), "an interrupted fit left output files");
        Assert.Empty(Directory.EnumerateFiles(Folder, "*.tmp", SearchOption.AllDirectories));
    }
}
