using System.Diagnostics;
using Vinfer.Distributions;
using Vinfer.Inference;
using Vinfer.Modeling;
using Vinfer.Nn;
using Vinfer.Optim;
using Vinfer.Random;
using Vinfer.Tensors;
using Vinfer.Tensors.Kernels;

namespace Vinfer.Experiments.GlobalConvergence;

/// <summary>One fit of the toy study: a width, network or linearization, and its curves.</summary>
public sealed record GcviToyRun(int Width, bool Linearized, IReadOnlyList<int> Steps, IReadOnlyList<double> TestNll,
    IReadOnlyList<double> JacobianDrift, IReadOnlyList<double> KernelDrift, double Seconds);

/// <summary>The toy study's outcome: every run and the reference NLLs on the same test set.</summary>
public sealed record GcviToyResult(GcviToyOptions Options, IReadOnlyList<GcviToyRun> Runs, double ExactPosteriorTestNll,
    double ExactPosteriorPopulationNll, double BestVonMisesPopulationNll, double BestVonMisesConcentration, double Seconds)
{
    /// <summary>The best von Mises (centred on the observed angle, κ moment-matched) on the same test pairs.</summary>
    public double BestVonMisesTestNll { get; init; } = double.NaN;
}

/// <summary>
/// The toy problem of McNamara, Loper and Regier, "Globally Convergent Variational Inference" (NeurIPS 2024, §5.1):
/// θ ∼ Uniform(0, 2π), ε ∼ N(0, 0.5²), x = (cos(θ+ε), sin(θ+ε)); q(θ | x) von Mises with natural parameters
/// η = f(x; φ) + 10⁻⁴, f a <see cref="NeuralTangentNetwork"/> of width p or its
/// <see cref="LinearizedNeuralTangentNetwork"/>, fitted by <see cref="NeuralPosteriorEstimation"/> (the expected
/// forward KL L_P) on fresh pairs with Adam at lr_t = 1/(10⁴ + t/10). The metric is the NLL of the held-out pairs
/// under q, against the exact posterior's (a wrapped normal around the observed angle: population value
/// ½ log(2πe·0.25) = 0.7258 up to the wrapping) and the best von Mises's (0.7277). The Jacobian and empirical-NTK drift
/// on probe inputs show the wide network staying near its linearization.
/// </summary>
public static class GcviToyStudy
{
    /// <summary>The noise standard deviation of the angle.</summary>
    public const double NoiseScale = 0.5;

    /// <summary>Runs every width, network and linearization.</summary>
    public static GcviToyResult Run(GcviToyOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var total = Stopwatch.StartNew();
        var root = new RandomStream(options.Seed);
        var (testTheta, testX) = Simulate(options.TestPairs, root.Split());
        double exact = ExactPosteriorNll(testTheta, testX);
        var (bestKappa, bestNll) = BestVonMises();
        log?.Invoke(FormattableString.Invariant($"gcvi-toy: exact posterior NLL on the test set {exact:F4}; best von Mises κ = {bestKappa:F4}, population NLL {bestNll:F4}"));
        var runs = new List<GcviToyRun>();
        foreach (int width in options.Widths)
        {
            var initial = root.Split();
            var simulations = root.Split();
            foreach (bool linearized in new[] { false, true })
            {
                var run = Fit(options, width, linearized, new RandomStream(initial.Root), new RandomStream(simulations.Root), testTheta, testX);
                runs.Add(run);
                log?.Invoke(FormattableString.Invariant($"gcvi-toy: p = {width} {(linearized ? "linearized" : "network")}: test NLL {run.TestNll[^1]:F4} after {run.Steps[^1]} steps, J drift {run.JacobianDrift[^1]:G3}, K drift {run.KernelDrift[^1]:G3} ({run.Seconds:F1} s)"));
            }
        }
        return new GcviToyResult(options, runs, exact, ExactPopulationNll(), bestNll, bestKappa, total.Elapsed.TotalSeconds)
        {
            BestVonMisesTestNll = BestVonMisesNll(testTheta, testX, bestKappa),
        };
    }

    /// <summary>B pairs: θ ∼ U(0, 2π) [B], x [B, 2].</summary>
    public static (Tensor Theta, Tensor X) Simulate(int count, RandomStream random)
    {
        var u = new double[count]; var e = new double[count];
        Vinfer.Random.Sample.Uniform(random.NextKey(), u);
        Vinfer.Random.Sample.Normal(random.NextKey(), e);
        var theta = new double[count]; var x = new double[2 * count];
        for (int i = 0; i < count; i++)
        {
            theta[i] = 2 * Math.PI * u[i];
            double angle = theta[i] + NoiseScale * e[i];
            x[2 * i] = Math.Cos(angle); x[2 * i + 1] = Math.Sin(angle);
        }
        return (Tensor.Wrap(theta, count), Tensor.Wrap(x, count, 2));
    }

    /// <summary>−log p(θ | x) averaged over the pairs: the wrapped normal N(θ − atan2(x₂, x₁) + 2πk; 0, 0.25) summed over k.</summary>
    public static double ExactPosteriorNll(Tensor theta, Tensor x)
    {
        var t = theta.Span; var xs = x.Span;
        double sum = 0;
        for (int i = 0; i < t.Length; i++) sum -= LogWrappedNormal(t[i] - Math.Atan2(xs[2 * i + 1], xs[2 * i]));
        return sum / t.Length;
    }

    /// <summary>−log vM(θ; atan2(x₂, x₁), κ) averaged over the pairs.</summary>
    public static double BestVonMisesNll(Tensor theta, Tensor x, double concentration)
    {
        var t = theta.Span; var xs = x.Span;
        double sum = 0;
        for (int i = 0; i < t.Length; i++)
            sum -= concentration * Math.Cos(t[i] - Math.Atan2(xs[2 * i + 1], xs[2 * i])) - Math.Log(2 * Math.PI) - ModifiedBessel.LogI0(concentration);
        return sum / t.Length;
    }

    private static double LogWrappedNormal(double difference)
    {
        double d = difference - 2 * Math.PI * Math.Round(difference / (2 * Math.PI));
        double variance = NoiseScale * NoiseScale, total = 0;
        for (int k = -4; k <= 4; k++) total += Math.Exp(-0.5 * Math.Pow(d + 2 * Math.PI * k, 2) / variance);
        return Math.Log(total) - 0.5 * Math.Log(2 * Math.PI * variance);
    }

    /// <summary>The exact posterior's population NLL, E[−log WN(ε)], by quadrature over ε ∼ N(0, 0.25).</summary>
    public static double ExactPopulationNll()
    {
        const int n = 20_000; double h = 16.0 / n, sum = 0; // ε/σ over [−8, 8]
        for (int i = 0; i <= n; i++)
        {
            double z = -8 + i * h, w = (i == 0 || i == n) ? 0.5 : 1;
            sum -= w * SpecialFunctions.NormalPdf(z) * LogWrappedNormal(NoiseScale * z);
        }
        return sum * h;
    }

    /// <summary>
    /// The best von Mises in expected forward KL: κ with I₁(κ)/I₀(κ) = E[cos ε] = e^{−σ²/2} (moment matching of the
    /// sufficient statistic), and its population NLL −κ e^{−σ²/2} + log(2π I₀(κ)).
    /// </summary>
    public static (double Concentration, double Nll) BestVonMises()
    {
        double target = Math.Exp(-0.5 * NoiseScale * NoiseScale), low = 0, high = 1e3;
        for (int i = 0; i < 200; i++)
        {
            double mid = 0.5 * (low + high);
            if (ModifiedBessel.I1OverI0(mid) < target) low = mid; else high = mid;
        }
        double kappa = 0.5 * (low + high);
        return (kappa, -kappa * target + Math.Log(2 * Math.PI) + ModifiedBessel.LogI0(kappa));
    }

    private static Distribution Posterior(Module f, Tensor x)
    {
        var eta = f.Forward(x) + 1e-4;
        int n = x.Shape[0];
        return VonMises.FromNaturalParameters(eta.Narrow(1, 0, 1).Reshape(n), eta.Narrow(1, 1, 1).Reshape(n), validateArgs: false);
    }

    private static GcviToyRun Fit(GcviToyOptions options, int width, bool linearized, RandomStream initial, RandomStream simulations, Tensor testTheta, Tensor testX)
    {
        var clock = Stopwatch.StartNew();
        var network = new NeuralTangentNetwork($"f{width}", 2, width, 2, initial);
        Module f = linearized ? new LinearizedNeuralTangentNetwork($"flin{width}", network) : network;
        var optimizer = new Adam(1 / options.RateOffset) { Schedule = LearningRateSchedule.InverseTime(1 / options.RateOffset, options.RateSlope / options.RateOffset) };
        var npe = new NeuralPosteriorEstimation(Simulate, x => Posterior(f, x), optimizer, options.PairsPerStep);
        var probe = testX.Narrow(0, 0, options.ProbeInputs).Clone();
        var jacobian0 = network.Jacobian(probe, npe.Store);
        var kernel0 = NeuralTangentKernel.FromJacobian(jacobian0);
        var checkpoints = Checkpoints(options.Steps, options.Evaluations);
        var steps = new List<int>(); var nll = new List<double>(); var jDrift = new List<double>(); var kDrift = new List<double>();
        void Evaluate(int step)
        {
            steps.Add(step);
            nll.Add(npe.Loss(testTheta, testX));
            // The linearization's Jacobian is J(x; φ₀) for ever: its drift is 0 by construction.
            var jacobian = linearized ? jacobian0 : network.Jacobian(probe, npe.Store);
            jDrift.Add(NeuralTangentKernel.RelativeDrift(jacobian, jacobian0));
            kDrift.Add(NeuralTangentKernel.RelativeDrift(NeuralTangentKernel.FromJacobian(jacobian), kernel0));
        }
        Evaluate(0);
        int next = 0;
        for (int step = 1; step <= options.Steps; step++)
        {
            double loss = npe.Step(simulations);
            if (double.IsNaN(loss)) throw new InvalidOperationException($"gcvi-toy: p = {width}: the loss or a gradient was not finite at step {step}.");
            while (next < checkpoints.Count && checkpoints[next] == step) { Evaluate(step); next++; }
        }
        return new GcviToyRun(width, linearized, steps, nll, jDrift, kDrift, clock.Elapsed.TotalSeconds);
    }

    /// <summary>About <paramref name="count"/> distinct log-spaced steps in [1, steps], the last being steps.</summary>
    private static List<int> Checkpoints(int steps, int count)
    {
        var set = new SortedSet<int> { steps };
        for (int i = 0; i < count; i++) set.Add((int)Math.Round(Math.Pow(steps, (double)i / (count - 1))));
        return [.. set];
    }
}
