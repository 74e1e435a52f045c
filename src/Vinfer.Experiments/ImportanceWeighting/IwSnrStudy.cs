using System.Diagnostics;
using Vinfer.Objectives;
using Vinfer.Random;

namespace Vinfer.Experiments.ImportanceWeighting;

/// <summary>
/// The <c>iw-snr</c> study (issue 9). Part 1 reproduces Rainforth et al. (ICML 2018): on their Gaussian example the
/// signal-to-noise ratio of the inference network's IWAE gradient falls like 1/√K, while the doubly reparameterized
/// gradient's (Tucker, Lawson, Gu and Maddison, ICLR 2019) does not. Part 2 measures the VR-IWAE gradient's SNR
/// (Daudel, Benton, Shi and Doucet, JMLR 2023) as the dimension d grows, for several N and α: seed 003 and Daudel and
/// Roueff (2024) describe its collapse unless N grows exponentially with d; part 2 uses the reparameterized estimator
/// only (the one seed 003 discusses; its DReG form doubles the run time). Every gradient comes from the library's
/// objectives on <see cref="GaussianSnrProblem"/>.
/// </summary>
public static class IwSnrStudy
{
    /// <summary>Runs both parts; <paramref name="progress"/> gets a line per point.</summary>
    public static IReadOnlyList<IwSnrPoint> Run(IwSnrOptions options, Action<string>? progress = null)
    {
        options.Validate();
        var points = new List<IwSnrPoint>();
        var root = new RandomKey(options.Seed);
        var problem = new GaussianSnrProblem(options.Dimension, options.Seed, options.Offset);
        foreach (int k in options.ImportanceSamples)
            foreach (var (name, estimator) in new[] { ("iwae", GradientEstimator.Reparameterized), ("dreg", GradientEstimator.DoublyReparameterized) })
            {
                var point = Measure(problem, name, k, 0.0, options.Copies, options,
                    () => new IwaeBound(k, 1, estimator, GaussianSnrProblem.CopiesPlate), new RandomStream(root.Child(k).Fold(name.Length)));
                points.Add(point);
                progress?.Invoke(Describe(point));
            }
        foreach (int d in options.Dimensions)
        {
            var high = new GaussianSnrProblem(d, options.Seed, options.Offset);
            foreach (double alpha in options.Alphas)
                foreach (int n in options.SampleSizes)
                    foreach (var (name, estimator) in new[] { ("vr-iwae", GradientEstimator.Reparameterized) })
                    {
                        var point = Measure(high, name, n, alpha, options.DimensionCopies, options,
                            () => new VrIwaeBound(alpha, n, 1, estimator, GaussianSnrProblem.CopiesPlate),
                            new RandomStream(root.Child(1_000_000 + d).Child(n).Child((long)(alpha * 1000)).Fold(name.Length)));
                        points.Add(point);
                        progress?.Invoke(Describe(point));
                    }
        }
        return points;
    }

    private static IwSnrPoint Measure(GaussianSnrProblem problem, string name, int samples, double alpha, int copies, IwSnrOptions options,
        Func<ImportanceWeightedObjective> objective, RandomStream random)
    {
        var clock = Stopwatch.StartNew();
        int chunk = (int)Math.Clamp(options.MaxElementsPerPass / ((long)samples * problem.Dimension), 1, copies);
        var (a, b) = problem.Gradients(objective, copies, chunk, random);
        var (meanA, sdA) = MeanAndSd(a);
        var (meanB, sdB) = MeanAndSd(b);
        return new IwSnrPoint(name, problem.Dimension, samples, alpha, copies, meanA, sdA, meanB, sdB, clock.Elapsed.TotalSeconds);
    }

    private static (double Mean, double Sd) MeanAndSd(double[] values)
    {
        double mean = values.Average();
        double ss = values.Sum(v => (v - mean) * (v - mean));
        return (mean, Math.Sqrt(ss / (values.Length - 1)));
    }

    private static string Describe(IwSnrPoint p) => FormattableString.Invariant(
        $"{p.Estimator,-13} d={p.Dimension,-5} K={p.Samples,-5} alpha={p.Alpha:F1}  SNR(a1)={p.SnrA,9:G3}  SNR(b1)={p.SnrB,9:G3}  ({p.Seconds:F1} s)");
}
