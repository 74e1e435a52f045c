using Vinfer.IO;
using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json;
using Vinfer.Cli.Infrastructure;
using Vinfer.StateSpace;

using Vinfer.Experiments;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>vinfer bench ssm</c>: state-space workloads at large T (default 10⁶) on an AR(1)-plus-noise series, one JSON
/// object per line: the exact log-likelihood (filter only), one smoother pass (the EM E-step), one full smoother pass
/// with all marginals, one EM and one VEM iteration, and the general multivariate RTS smoother on the 1-dimensional
/// model. Each line carries the bytes the pass must stream through memory and the resulting bandwidth floor, from a
/// large-array copy measured in the same run. Times are the best of the repeats in thread CPU time
/// (<see cref="ThreadCpuClock"/>), so a machine shared with other work does not inflate them; the peer script uses
/// Python's thread CPU clock likewise.
/// </summary>
public static class BenchSsm
{
    /// <summary>The parameters and initial state of the benchmark series (bench/compare-ssm.sh passes the same to the peer).</summary>
    public static readonly Ar1NoiseModel Theta = new(0.88, 1.23, 1.34, 0.95);

    /// <summary>X_0 of the benchmark series.</summary>
    public const double X0 = 1.2;

    public static Command Create()
    {
        var length = new Option<int>("--t") { Description = "Series length T.", DefaultValueFactory = _ => 1_000_000 };
        var repeats = new Option<int>("--repeats") { Description = "Timed repetitions per workload (the minimum is reported).", DefaultValueFactory = _ => 10 };
        var seriesOut = new Option<string?>("--series-out") { Description = "Also write the series as little-endian float64 to this file (for the peer script)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the series.", DefaultValueFactory = _ => 42 };
        var command = new Command("ssm", "Kalman smoother, EM and VEM iterations at large T with memory-bandwidth floors.") { length, repeats, seriesOut, seed };
        command.SetAction(pr => CliError.Guard(pr, () =>
        {
            int t = pr.GetValue(length), r = pr.GetValue(repeats);
            if (t < 2) return CliError.Report(pr, $"--t is {t}, expected at least 2.");
            if (r < 1) return CliError.Report(pr, $"--repeats is {r}, expected at least 1.");
            var states = new double[t];
            var y = new double[t];
            Theta.Simulate(X0, new System.Random(pr.GetValue(seed)), states, y);
            if (pr.GetValue(seriesOut) is string path)
                AtomicFile.WriteBytes(path, MemoryMarshal.AsBytes(y.AsSpan()).ToArray());
            Run(y, r, pr.InvocationConfiguration.Output);
            return 0;
        }));
        return command;
    }

    private static void Run(double[] y, int repeats, TextWriter output)
    {
        int t = y.Length;
        double bandwidth = CopyBandwidth();
        var meanWork = new double[t];
        var varianceWork = new double[t];
        var means = new double[t + 1];
        var variances = new double[t + 1];
        var lagOne = new double[t + 1];
        var em = new ExpectationMaximization(y, X0);
        var vem = new MeanFieldVariationalEm(y, X0);
        double logLikelihood = 0.0;

        // Bytes each pass streams (8 per double per array pass); these are the algorithm's own reads and writes.
        Emit(output, "ssm.loglik_filter", t, Time(() => logLikelihood = ScalarKalmanSmoother.LogLikelihood(y, Theta, X0), repeats),
            8.0 * t, bandwidth, logLikelihood, "forward pass: read y");
        Emit(output, "ssm.smoother_pass", t, Time(() => logLikelihood = ScalarKalmanSmoother.SmoothStatistics(y, Theta, X0, meanWork, varianceWork, out _), repeats),
            40.0 * t, bandwidth, logLikelihood, "filter + RTS smoother to E-step statistics: read y, write filtered means; read them and y back; sum y^2");
        Emit(output, "ssm.smoother_full", t, Time(() => logLikelihood = ScalarKalmanSmoother.Smooth(y, Theta, X0, means, variances, lagOne), repeats),
            64.0 * t, bandwidth, logLikelihood, "filter + RTS smoother with all marginals and lag-one covariances stored");
        Emit(output, "ssm.em_iteration", t, Time(() => em.Step(Theta, out logLikelihood), repeats),
            40.0 * t, bandwidth, logLikelihood, "E-step by smoother pass + closed-form M-step");
        double elbo = 0.0;
        Emit(output, "ssm.vem_iteration", t, Time(() => vem.Step(Theta, out elbo), repeats),
            40.0 * t, bandwidth, elbo, "Thomas sweep: read y, write d; read d and y, write mu (value is the ELBO)");

        var model = Theta.ToStateSpaceModel(X0);
        var filter = new KalmanFilter(model);
        var smoother = new RtsSmoother(model);
        var filtered = new KalmanFilterResult(t, 1);
        var smoothed = new SmoothedStates(t, 1);
        Emit(output, "ssm.general_rts_n1", t, Time(() => { filter.Filter(y, filtered); smoother.Smooth(filtered, smoothed); }, Math.Min(repeats, 3)),
            8.0 * t * 12, bandwidth, smoothed.LogLikelihood, "multivariate code path (Joseph form, Cholesky) on the scalar model");
    }

    private static double Time(Action action, int repeats)
    {
        action(); // JIT and page-in
        double best = double.PositiveInfinity;
        for (int i = 0; i < repeats; i++)
        {
            long start = ThreadCpuClock.NowNanoseconds();
            action();
            best = Math.Min(best, (ThreadCpuClock.NowNanoseconds() - start) * 1e-9);
        }
        return best;
    }

    // Bytes moved per second by a 256 MiB array copy (read + write), best of 5.
    private static double CopyBandwidth()
    {
        var source = new double[32 << 20];
        var destination = new double[source.Length];
        source.AsSpan().Fill(1.0);
        destination.AsSpan().Fill(0.0);
        double seconds = Time(() => source.AsSpan().CopyTo(destination), 5);
        return 2.0 * 8.0 * source.Length / seconds;
    }

    private static void Emit(TextWriter output, string name, int t, double seconds, double bytes, double bandwidth, double value, string note)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("name", name);
            w.WriteNumber("t", t);
            w.WriteNumber("seconds", seconds);
            w.WriteString("clock", ThreadCpuClock.IsThreadCpuTime ? "thread_cpu" : "wall");
            w.WriteNumber("ns_per_step", seconds / t * 1e9);
            w.WriteNumber("bytes_touched", bytes);
            w.WriteNumber("copy_bandwidth_gb_s", bandwidth / 1e9);
            w.WriteNumber("bandwidth_floor_seconds", bytes / bandwidth);
            w.WriteNumber("value", value);
            w.WriteString("note", note);
            w.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
