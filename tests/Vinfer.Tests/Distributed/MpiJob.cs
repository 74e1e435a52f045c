using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Vinfer.Tests.Cli;
using Xunit;

namespace Vinfer.Tests.Distributed;

/// <summary>
/// Runs the built vinfer under OpenMPI's <c>mpirun</c> (root allowed, oversubscribed: the CI machine has fewer cores
/// than some tests' ranks) and compares fits' outputs figure by figure.
/// </summary>
internal static class MpiJob
{
    /// <summary>The relative tolerance of the issue: a distributed fit's figures equal the single-process fit's to it.</summary>
    public const double Tolerance = 1e-10;

    /// <summary><c>mpirun -np P dotnet vinfer.dll ARGS</c>: exit code, standard output, standard error.</summary>
    public static (int Code, string Out, string Err) Run(int processes, IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        Run(processes, environment, null, arguments);

    /// <summary>
    /// As <see cref="Run(int, IReadOnlyDictionary{string, string}?, string[])"/>, killing rank <paramref name="kill"/>.Rank
    /// (SIGKILL, as an out-of-memory kill or a lost machine would) as soon as the file <paramref name="kill"/>.After
    /// exists. The fault is injected from outside the job: the rank's process is found by its command line (which
    /// must contain the file's folder) and its OMPI_COMM_WORLD_RANK; nothing in vinfer itself can be told to fail.
    /// </summary>
    public static (int Code, string Out, string Err) RunAndKill(int processes, (int Rank, string After) kill, params string[] arguments) =>
        Run(processes, null, kill, arguments);

    private static (int Code, string Out, string Err) Run(int processes, IReadOnlyDictionary<string, string>? environment, (int Rank, string After)? kill, string[] arguments)
    {
        string mpirun = ExternalTools.Find("mpirun")
            ?? throw new InvalidOperationException("mpirun is not installed (Debian: apt-get install openmpi-bin libopenmpi-dev; .ci/run installs it).");
        var info = new ProcessStartInfo(mpirun) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--oversubscribe", "--mca", "btl", "self,vader", "-np", processes.ToString(CultureInfo.InvariantCulture), "dotnet", ExternalTools.Vinfer })
            info.ArgumentList.Add(a);
        foreach (var a in arguments) info.ArgumentList.Add(a);
        info.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
        info.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        if (environment is not null)
            foreach (var (k, v) in environment) info.Environment[k] = v;
        using var p = Process.Start(info) ?? throw new InvalidOperationException("could not start mpirun");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (kill is { } victim) KillRankWhen(p, victim.Rank, victim.After);
        if (!p.WaitForExit(300_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"mpirun -np {processes} vinfer {string.Join(' ', arguments)} ran longer than 300 s.");
        }
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    private static void KillRankWhen(Process job, int rank, string file)
    {
        var clock = Stopwatch.StartNew();
        while (!File.Exists(file))
        {
            if (job.HasExited) throw new InvalidOperationException($"the job ended before {file} appeared; nothing was killed.");
            if (clock.Elapsed > TimeSpan.FromSeconds(240)) throw new TimeoutException($"{file} did not appear within 240 s.");
            Thread.Sleep(20);
        }
        string marker = Path.GetDirectoryName(Path.GetFullPath(file))!;
        foreach (var directory in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out int pid)) continue;
            string commandLine, environment;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                environment = File.ReadAllText(Path.Combine(directory, "environ"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            if (!commandLine.Contains(marker, StringComparison.Ordinal) || !commandLine.Contains("Vinfer.Cli.dll", StringComparison.Ordinal)) continue;
            if (!environment.Split('\0').Contains($"OMPI_COMM_WORLD_RANK={rank}")) continue;
            using var victim = Process.GetProcessById(pid);
            victim.Kill();
            return;
        }
        throw new InvalidOperationException($"no process of rank {rank} with '{marker}' in its command line was found to kill.");
    }

    /// <summary>Asserts two summary.json files agree: steps, the stopping rule and the trust exactly, every figure to <see cref="Tolerance"/>.</summary>
    public static void AssertSameSummary(string expectedFolder, string actualFolder)
    {
        var e = JsonNode.Parse(File.ReadAllText(Path.Combine(expectedFolder, "summary.json")))!.AsObject();
        var a = JsonNode.Parse(File.ReadAllText(Path.Combine(actualFolder, "summary.json")))!.AsObject();
        Assert.Equal((int)e["steps"]!, (int)a["steps"]!);
        Assert.Equal((string)e["stopped_by"]!, (string)a["stopped_by"]!);
        Assert.Equal((string?)e["trust"], (string?)a["trust"]);
        Assert.Equal((string?)e["k_hat_reading"], (string?)a["k_hat_reading"]);
        Close((double)e["elbo"]!, (double)a["elbo"]!, "elbo", Tolerance);
        Close((double)e["k_hat"]!, (double)a["k_hat"]!, "k_hat", Tolerance);
        foreach (var key in new[] { "iwae", "cubo" })
        {
            var ev = e["log_evidence"]![key]!;
            Close(ev is JsonObject o ? (double)o["value"]! : (double)ev, a["log_evidence"]![key] is JsonObject o2 ? (double)o2["value"]! : (double)a["log_evidence"]![key]!, key, Tolerance);
        }
        var parameters = e["parameters"]!.AsObject();
        Assert.Equal(parameters.Count, a["parameters"]!.AsObject().Count);
        foreach (var (name, figures) in parameters)
            foreach (var (figure, value) in figures!.AsObject())
                Close((double)value!, (double)a["parameters"]![name]![figure]!, $"{name}.{figure}", Tolerance);
        // Pathfinder's k̂ (of its start) is a Pareto fit to few draws at the end of L-BFGS paths, whose line searches
        // amplify the last-bit differences of the sums: it agrees to about 1e-8 (docs/distributed.md).
        if (e["pathfinder"]?["k_hat"] is { } pk) Close((double)pk, (double)a["pathfinder"]!["k_hat"]!, "pathfinder.k_hat", 1e-6);
    }

    /// <summary>
    /// Asserts two JSON files agree: strings, booleans and array lengths exactly, every number to
    /// <see cref="Tolerance"/> relative (wall-clock fields, named *seconds*, skipped).
    /// </summary>
    public static void AssertSameJson(string expectedFile, string actualFile)
    {
        var e = JsonNode.Parse(File.ReadAllText(expectedFile));
        var a = JsonNode.Parse(File.ReadAllText(actualFile));
        Walk(e, a, "$");
    }

    private static void Walk(JsonNode? e, JsonNode? a, string path)
    {
        switch (e)
        {
            case JsonObject o:
                var ao = Assert.IsType<JsonObject>(a);
                Assert.Equal(o.Count, ao.Count);
                foreach (var (key, value) in o)
                    if (!key.Contains("seconds", StringComparison.Ordinal)) Walk(value, ao[key], $"{path}.{key}");
                break;
            case JsonArray list:
                var al = Assert.IsType<JsonArray>(a);
                Assert.True(list.Count == al.Count, $"{path}: {list.Count} entries single-process, {al.Count} distributed");
                for (int i = 0; i < list.Count; i++) Walk(list[i], al[i], $"{path}[{i}]");
                break;
            case JsonValue v when v.TryGetValue(out double x):
                Close(x, (double)a!, path, Tolerance);
                break;
            default:
                Assert.Equal(e?.ToJsonString(), a?.ToJsonString());
                break;
        }
    }

    /// <summary>Asserts every number of two draws.csv files agrees to <see cref="Tolerance"/> (comments skipped).</summary>
    public static void AssertSameDraws(string expectedFolder, string actualFolder)
    {
        var e = File.ReadAllLines(Path.Combine(expectedFolder, "draws.csv")).Where(l => !l.StartsWith('#')).ToArray();
        var a = File.ReadAllLines(Path.Combine(actualFolder, "draws.csv")).Where(l => !l.StartsWith('#')).ToArray();
        Assert.Equal(e.Length, a.Length);
        Assert.Equal(e[0], a[0]);
        for (int i = 1; i < e.Length; i++)
        {
            var x = e[i].Split(',');
            var y = a[i].Split(',');
            Assert.Equal(x.Length, y.Length);
            for (int j = 0; j < x.Length; j++)
                Close(double.Parse(x[j], CultureInfo.InvariantCulture), double.Parse(y[j], CultureInfo.InvariantCulture), $"draws.csv line {i + 1} column {j + 1}", Tolerance);
        }
    }

    private static void Close(double expected, double actual, string what, double tolerance)
    {
        double scale = Math.Max(Math.Abs(expected), Math.Abs(actual));
        Assert.True(Math.Abs(expected - actual) <= tolerance * scale + 1e-300,
            $"{what}: single process {expected:R}, distributed {actual:R} (relative difference {Math.Abs(expected - actual) / scale:G3}, tolerance {tolerance:G3})");
    }
}
