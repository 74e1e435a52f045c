using System.Diagnostics;
using Vinfer.Modeling;
using Vinfer.Nn;
using Vinfer.Optim;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Experiments.Amortization;

/// <summary>One fit: a method, a seed, the −ELBO curve and the final local means.</summary>
public sealed record AmortizationRun(string Method, int Seed, IReadOnlyList<int> Iterations, IReadOnlyList<double> NegativeElbo, double[] LocalMeans, double Seconds);

/// <summary>The study's outcome.</summary>
public sealed record AmortizationResult(AmortizationOptions Options, AmortizationProblem Problem, int Iterations, IReadOnlyList<AmortizationRun> Runs, double Seconds);

/// <summary>
/// Amortized against factorized VI (Margossian and Blei, "Amortized Variational Inference: When and Why?", UAI 2024):
/// each local z_n gets its own Gaussian (F-VI), a Gaussian whose mean and log-sd an encoder computes from x_n (A-VI), or
/// one shared Gaussian ("const"); a global θ has its own Gaussian. The objective is the reparameterized ELBO with S
/// draws of (θ, z) and the Gaussian entropies in closed form, maximized by Adam; −ELBO includes every constant of the
/// Gaussian densities (the flat prior on θ adds none). Reported: −ELBO at the end, and the iterations until −ELBO
/// (evaluated every few iterations) comes within 1 % of F-VI's final value (median over seeds).
/// </summary>
public static class AmortizationStudy
{
    private const double HalfLog2PiE = 1.4189385332046727418;

    /// <summary>Runs every method on every seed.</summary>
    public static AmortizationResult Run(AmortizationOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var clock = Stopwatch.StartNew();
        var problem = AmortizationProblem.Create(options.Model, new RandomStream(options.Seed), options.SizeScale);
        int iterations = options.Iterations ?? problem.Iterations;
        var methods = new List<string> { "fvi" };
        methods.AddRange(problem.Encoders.Select(e => e.Name));
        methods.Add("const");
        var runs = new List<AmortizationRun>();
        foreach (string method in methods)
            for (int seed = 1; seed <= options.Seeds; seed++)
            {
                var run = Fit(problem, method, seed, iterations, options);
                runs.Add(run);
                log?.Invoke(FormattableString.Invariant($"amortization {problem.Name}: {method} seed {seed}: -ELBO {run.NegativeElbo[^1]:F1} ({run.Seconds:F1} s)"));
            }
        return new AmortizationResult(options, problem, iterations, runs, clock.Elapsed.TotalSeconds);
    }

    private static AmortizationRun Fit(AmortizationProblem problem, string method, int seed, int iterations, AmortizationOptions options)
    {
        var clock = Stopwatch.StartNew();
        var store = new ParamStore();
        var random = new RandomStream(options.Seed * 1000 + (ulong)seed);
        var initial = random.Split();
        int n = problem.LocalCount;
        (string Name, Tensor Inputs, Func<RandomStream, Module> Network)? encoder = method is "fvi" or "const" ? null : problem.Encoders.First(e => e.Name == method);
        Module? network = encoder?.Network(initial);
        int width = method == "fvi" ? n : 1;
        (Tensor Loc, Tensor LogScale) Local()
        {
            if (network is not null)
            {
                var output = network.Forward(encoder!.Value.Inputs);
                return (output.Narrow(1, 0, 1).Reshape(1, n), output.Narrow(1, 1, 1).Reshape(1, n));
            }
            return (Primitives.Param("z_loc", () => Tensor.Zeros(1, width)), Primitives.Param("z_log_scale", () => Tensor.Zeros(1, width)));
        }
        Tensor NegativeElbo(int samples, RandomStream draws)
        {
            var (loc, logScale) = Local();
            var epsilon = Tensor.Zeros(samples, n);
            Vinfer.Random.Sample.Normal(draws.NextKey(), epsilon.Span);
            var z = loc + logScale.Exp() * epsilon;
            // Σ_n H[q(z_n)] = Σ_n log σ_n + n·½log(2πe); broadcast sums count a shared σ n times.
            var entropy = (logScale.Count == n ? logScale.Sum() : logScale.Sum() * n) + n * HalfLog2PiE;
            Tensor? theta = null;
            if (problem.HasGlobal)
            {
                var thetaLoc = Primitives.Param("theta_loc", () => Tensor.Zeros(1, 1));
                var thetaLogScale = Primitives.Param("theta_log_scale", () => Tensor.Zeros(1, 1));
                var eta = Tensor.Zeros(samples, 1);
                Vinfer.Random.Sample.Normal(draws.NextKey(), eta.Span);
                theta = thetaLoc + thetaLogScale.Exp() * eta;
                entropy = entropy + thetaLogScale.Sum() + HalfLog2PiE;
            }
            return -(problem.LogJoint(z, theta).Mean() + entropy);
        }
        var (factorizedRate, amortizedRate) = problem.LearningRates;
        var optimizer = new Adam(method == "fvi" ? factorizedRate : amortizedRate);
        var evaluation = new RandomStream(options.Seed * 7919 + (ulong)seed);
        var steps = new List<int>(); var curve = new List<double>();
        void Evaluate(int iteration)
        {
            using var _ = store.Use();
            using var __ = GradMode.Disable();
            using var scope = new TensorScope();
            steps.Add(iteration);
            curve.Add(NegativeElbo(options.EvaluationSamples, new RandomStream(evaluation.Root)).Item());
        }
        Evaluate(0);
        for (int iteration = 1; iteration <= iterations; iteration++)
        {
            using (store.Use())
            using (new TensorScope())
            {
                var loss = NegativeElbo(options.Samples, random);
                if (!double.IsFinite(loss.Item())) throw new InvalidOperationException($"amortization {problem.Name}: {method} seed {seed}: −ELBO is not finite at iteration {iteration}.");
                loss.Backward();
                optimizer.Step(store.Unconstrained);
                foreach (var (_, p) in store.Unconstrained) p.ZeroGrad();
            }
            if (iteration % options.EvaluateEvery == 0 || iteration == iterations) Evaluate(iteration);
        }
        double[] means;
        using (store.Use())
        using (GradMode.Disable())
        {
            var (loc, _) = Local();
            means = width == n || network is not null ? loc.Span.ToArray() : Enumerable.Repeat(loc.Span[0], n).ToArray();
        }
        return new AmortizationRun(method, seed, steps, curve, means, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The first evaluated iteration at which −ELBO is within 1 % of <paramref name="target"/> (null: never).</summary>
    public static int? IterationsToWithinOnePercent(AmortizationRun run, double target)
    {
        double threshold = target + 0.01 * Math.Abs(target);
        for (int i = 0; i < run.NegativeElbo.Count; i++)
            if (run.NegativeElbo[i] <= threshold) return run.Iterations[i];
        return null;
    }

    /// <summary>The median of the values (the mean of the two middle ones for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0) return double.NaN;
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]);
    }
}
