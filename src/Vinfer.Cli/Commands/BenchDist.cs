using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Vinfer.Distributions;
using Vinfer.Tensors;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>vinfer bench dist</c>: the sum of LogProb and its gradient with respect to the parameters, for
/// Normal(loc, scale) and Gamma(concentration, rate) with 10⁶-entry parameters at 10⁶ values, and Dirichlet with
/// concentrations of shape (10⁵, 10) at 10⁵ simplex points; float64. One JSON line per workload with the best
/// time over the repeats (bench/peers/dist_torch.py runs the same in PyTorch).
/// </summary>
public static class BenchDist
{
    public static Command Create()
    {
        var repeats = new Option<int>("--repeats") { Description = "Timed repetitions per workload (the best is reported).", DefaultValueFactory = _ => 20 };
        var size = new Option<int>("--size") { Description = "Values per workload (Dirichlet: size/10 rows of 10).", DefaultValueFactory = _ => 1_000_000 };
        var command = new Command("dist", "Time LogProb + gradient of Normal, Gamma and Dirichlet (JSON lines).") { repeats, size };
        command.SetAction(pr =>
        {
            int r = pr.GetValue(repeats), n = pr.GetValue(size);
            if (r < 1) { Console.Error.WriteLine($"bench dist: --repeats must be >= 1, got {r}"); return 2; }
            if (n < 10 || n % 10 != 0) { Console.Error.WriteLine($"bench dist: --size must be a positive multiple of 10, got {n}"); return 2; }
            Run(n, r, Console.Out);
            return 0;
        });
        return command;
    }

    /// <summary>Runs the three workloads and writes one JSON line each.</summary>
    public static void Run(int n, int repeats, TextWriter output)
    {
        var rng = new System.Random(20261122);
        double[] U(int count, double low, double high)
        {
            var a = new double[count];
            for (int i = 0; i < count; i++) a[i] = low + (high - low) * rng.NextDouble();
            return a;
        }

        var loc = Tensor.Parameter(U(n, -1, 1));
        var scale = Tensor.Parameter(U(n, 0.5, 2));
        var x = Tensor.FromArray(U(n, -3, 3));
        Report(output, "normal", n, Time(repeats, () => new Normal(loc, scale, validateArgs: false).LogProb(x).Sum(), loc, scale));

        var conc = Tensor.Parameter(U(n, 0.5, 5));
        var rate = Tensor.Parameter(U(n, 0.5, 2));
        var g = Tensor.FromArray(U(n, 0.1, 5));
        Report(output, "gamma", n, Time(repeats, () => new Gamma(conc, rate, validateArgs: false).LogProb(g).Sum(), conc, rate));

        int rows = n / 10;
        var alpha = Tensor.Parameter(U(n, 0.5, 5), rows, 10);
        var points = Tensor.FromArray(U(n, 0.1, 1), rows, 10);
        var ps = points.Span;
        for (int i = 0; i < rows; i++)
        {
            double s = 0;
            for (int j = 0; j < 10; j++) s += ps[i * 10 + j];
            for (int j = 0; j < 10; j++) ps[i * 10 + j] /= s;
        }
        Report(output, "dirichlet", n, Time(repeats, () => new Dirichlet(alpha, validateArgs: false).LogProb(points).Sum(), alpha));
    }

    private static double Time(int repeats, Func<Tensor> loss, params Tensor[] parameters)
    {
        double best = double.PositiveInfinity;
        for (int i = 0; i < repeats + 2; i++) // two warm-up rounds
        {
            foreach (var p in parameters) p.ZeroGrad();
            var sw = Stopwatch.StartNew();
            using (new TensorScope())
            {
                var l = loss();
                l.Backward();
            }
            sw.Stop();
            if (i >= 2) best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return best;
    }

    private static void Report(TextWriter output, string name, int n, double seconds) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"name\": \"{name}\", \"n\": {n}, \"ns_per_value\": {seconds * 1e9 / n:F3}, \"seconds\": {seconds:G6}, \"threads\": {Environment.ProcessorCount}}}"));
}
