using System.Diagnostics;
using Vinfer.Modeling;
using Vinfer.Nn;
using Vinfer.Optim;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Experiments.GlobalConvergence;

/// <summary>One replicate: objective, parameterization, the predicted centres and shift on the observed data set.</summary>
public sealed record GcviClusteringRun(string Objective, string Parameterization, int Replicate, double[] Centres, double Shift, bool Ordered, double FinalLoss, double Seconds)
{
    /// <summary>The standard deviations of q(z_j | x) on the observed data set (natural: (−2η₂)^−½; 1 under mean-only).</summary>
    public double[] CentreScales { get; init; } = [];
}

/// <summary>The study's outcome.</summary>
public sealed record GcviClusteringResult(GcviClusteringOptions Options, double[] ObservedCentres, IReadOnlyList<GcviClusteringRun> Runs, double Seconds);

/// <summary>
/// The label-switching experiment of McNamara, Loper and Regier, "Globally Convergent Variational Inference" (NeurIPS
/// 2024, Table 1): base centres μ = (−20, −10, 0, 10, 20), shift s ∼ N(0, 100²), centres z_j ∼ N(μ_j + s, 0.5²), points
/// x_i ∼ Σ_j ⅕ N(z_j, 0.1²); the observed data set has s = 100. Two Set Transformer encoders (Linear(1→64) →
/// SAB(64, 4 heads) → SAB(64) → PMA(k seeds) → Linear(64→2), k = 5 for the centres and 1 for the shift) give Gaussian
/// q(z_j | x), q(s | x) by natural parameters (η₂ clamped to [−1000, −0.1]) or by the mean alone (sd 1). They are
/// fitted either by L_P on a fresh simulated data set per step or by the ELBO of the observed data set
/// (K reparameterized samples). The measure is the fraction of replicates whose five predicted centres are in
/// increasing order: L_P learns the ordering the prior implies; the ELBO is symmetric in the labels.
/// </summary>
/// <remarks>
/// Scalings for this machine (stated in the report): encoder inputs are x/100, outputs are scaled by fixed factors
/// (mean-only: mean = 100·o₁; natural: η₁ = s·o₁ with s = <see cref="GcviClusteringOptions.Eta1Scale"/>, η₂ = clamp(100·o₂ − 10,
/// −1000, −0.1)) so that few Adam steps reach the
/// data's magnitudes; the point count, steps and replicates are options.
/// </remarks>
public static class GcviClusteringStudy
{
    private static readonly double[] BaseCentres = [-20, -10, 0, 10, 20];
    private const double ShiftScale = 100, CentreScale = 0.5, PointScale = 0.1;
    private const double Log2Pi = 1.8378770664093454836;

    /// <summary>Runs the four cells.</summary>
    public static GcviClusteringResult Run(GcviClusteringOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var clock = Stopwatch.StartNew();
        var root = new RandomStream(options.Seed);
        var (observedCentres, _, observed) = Simulate(options.Points, root.Split(), options.ObservedShift);
        var runs = new List<GcviClusteringRun>();
        foreach (var objective in new[] { "elbo", "lp" })
            foreach (var parameterization in new[] { "natural", "mean-only" })
            {
                if (options.Cells is not null && !options.Cells.Contains($"{objective}-{parameterization}")) continue;
                for (int r = 1; r <= options.Replicates; r++)
                {
                    var run = Fit(options, objective, parameterization, r, observed, new RandomStream(options.Seed * 31 + (ulong)r));
                    runs.Add(run);
                    log?.Invoke(FormattableString.Invariant($"gcvi-clustering: {objective} {parameterization} replicate {r}: centres [{string.Join(", ", run.Centres.Select(c => c.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))}], sd [{string.Join(", ", run.CentreScales.Select(c => c.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)))}], shift {run.Shift:F1}, ordered {run.Ordered} ({run.Seconds:F1} s)"));
                }
            }
        return new GcviClusteringResult(options, observedCentres, runs, clock.Elapsed.TotalSeconds);
    }

    /// <summary>One data set: centres [5], shift, points [n]; the shift is drawn unless given.</summary>
    public static (double[] Centres, double Shift, double[] Points) Simulate(int points, RandomStream random, double? shift = null)
    {
        var normals = new double[6 + 2 * points];
        Vinfer.Random.Sample.Normal(random.NextKey(), normals);
        var uniforms = new double[points];
        Vinfer.Random.Sample.Uniform(random.NextKey(), uniforms);
        double s = shift ?? ShiftScale * normals[0];
        var centres = BaseCentres.Select((m, j) => m + s + CentreScale * normals[1 + j]).ToArray();
        var x = new double[points];
        for (int i = 0; i < points; i++) x[i] = centres[Math.Min(4, (int)(uniforms[i] * 5))] + PointScale * normals[6 + i];
        return (centres, s, x);
    }

    private sealed class Encoder : Module
    {
        private readonly Linear _embed, _head;
        private readonly SetAttentionBlock _first, _second;
        private readonly PoolingByMultiheadAttention _pool;

        public Encoder(string name, int seeds, RandomStream random) : base(name)
        {
            _embed = Register(new Linear(ChildName("embed"), 1, 64, random: random));
            _first = Register(new SetAttentionBlock(ChildName("sab1"), 64, 4, random: random));
            _second = Register(new SetAttentionBlock(ChildName("sab2"), 64, 4, random: random));
            _pool = Register(new PoolingByMultiheadAttention(ChildName("pma"), 64, 4, seeds, random: random));
            _head = Register(new Linear(ChildName("head"), 64, 2, random: random));
        }

        public override Tensor Forward(Tensor input) => _head.Forward(_pool.Forward(_second.Forward(_first.Forward(_embed.Forward(input)))));
    }

    /// <summary>Gaussian (mean, sd) of each output row [k, 2] under the parameterization.</summary>
    private static (Tensor Mean, Tensor Scale) Gaussian(Tensor output, string parameterization, double eta1Scale, bool smoothBound)
    {
        var first = output.Narrow(1, 0, 1); var second = output.Narrow(1, 1, 1);
        if (parameterization == "mean-only") return (100 * first, Tensor.Ones(first.Shape.ToArray()));
        var eta1 = eta1Scale * first;
        // Hard: clamp(100·o₂ − 10, −1000, −0.1), whose gradient is zero outside the interval. Smooth: the same interval
        // through log(−η₂) = log 0.1 + log(10⁴)·σ(4·o₂) (−10 and slope ≈ −92 at o₂ = 0, like the hard map).
        var eta2 = smoothBound
            ? -((4 * second).Sigmoid() * Math.Log(1e4) + Math.Log(0.1)).Exp()
            : (100 * second - 10).Clamp(-1000, -0.1);
        // mean = −η₁/(2η₂), variance = −1/(2η₂).
        return (eta1 / (-2 * eta2), (-2 * eta2).Reciprocal().Sqrt());
    }

    private static Tensor GaussianLogDensity(Tensor value, Tensor mean, Tensor scale) =>
        -0.5 * ((value - mean) / scale).Square() - scale.Log() - 0.5 * Log2Pi;

    private static GcviClusteringRun Fit(GcviClusteringOptions options, string objective, string parameterization, int replicate, double[] observed, RandomStream random)
    {
        var clock = Stopwatch.StartNew();
        var initial = random.Split();
        var centresEncoder = new Encoder("centres", 5, initial);
        var shiftEncoder = new Encoder("shift", 1, initial);
        var store = new ParamStore();
        var optimizer = new Adam(options.LearningRate) { Schedule = LearningRateSchedule.Step(options.LearningRate, Math.Max(1, options.Steps / 4), 0.5) };
        int n = options.Points;
        var observedInput = Tensor.Wrap(observed.Select(v => v / 100).ToArray(), 1, n, 1);
        var observedPoints = Tensor.Wrap([.. observed], 1, n, 1);
        var baseCentres = Tensor.Wrap([.. BaseCentres], 1, 5);
        double loss = double.NaN;
        for (int step = 1; step <= options.Steps; step++)
        {
            using var _ = store.Use();
            using var scope = new TensorScope();
            Tensor objectiveValue;
            if (objective == "lp")
            {
                var (centres, shift, points) = Simulate(n, random);
                var input = Tensor.Wrap(points.Select(v => v / 100).ToArray(), 1, n, 1);
                var (cm, cs) = Gaussian(centresEncoder.Forward(input).Reshape(5, 2), parameterization, options.Eta1Scale, options.SmoothBound);
                var (sm, ss) = Gaussian(shiftEncoder.Forward(input).Reshape(1, 2), parameterization, options.Eta1Scale, options.SmoothBound);
                objectiveValue = -(GaussianLogDensity(Tensor.Wrap([.. centres], 5, 1), cm, cs).Sum() + GaussianLogDensity(Tensor.Scalar(shift), sm, ss).Sum());
            }
            else
            {
                var (cm, cs) = Gaussian(centresEncoder.Forward(observedInput).Reshape(5, 2), parameterization, options.Eta1Scale, options.SmoothBound);
                var (sm, ss) = Gaussian(shiftEncoder.Forward(observedInput).Reshape(1, 2), parameterization, options.Eta1Scale, options.SmoothBound);
                int k = options.ElboSamples;
                var epsilon = Tensor.Zeros(k, 6);
                Vinfer.Random.Sample.Normal(random.NextKey(), epsilon.Span);
                var z = cm.Reshape(1, 5) + cs.Reshape(1, 5) * epsilon.Narrow(1, 0, 5);   // [K, 5]
                var s = sm.Reshape(1, 1) + ss.Reshape(1, 1) * epsilon.Narrow(1, 5, 1);   // [K, 1]
                var logPrior = GaussianLogDensity(s, Tensor.Scalar(0), Tensor.Scalar(ShiftScale)).Sum(1)
                    + GaussianLogDensity(z, baseCentres + s, Tensor.Scalar(CentreScale)).Sum(1);
                var componentLog = GaussianLogDensity(observedPoints, z.Reshape(k, 1, 5), Tensor.Scalar(PointScale)) - Math.Log(5); // [K, n, 5]
                var logLikelihood = componentLog.LogSumExp(2).Sum(1);
                var logQ = GaussianLogDensity(z, cm.Reshape(1, 5), cs.Reshape(1, 5)).Sum(1) + GaussianLogDensity(s, sm.Reshape(1, 1), ss.Reshape(1, 1)).Sum(1);
                objectiveValue = -(logPrior + logLikelihood - logQ).Mean();
            }
            loss = objectiveValue.Item();
            if (!double.IsFinite(loss)) { foreach (var (_, p) in store.Unconstrained) p.ZeroGrad(); continue; }
            objectiveValue.Backward();
            optimizer.Step(store.Unconstrained);
            foreach (var (_, p) in store.Unconstrained) p.ZeroGrad();
        }
        double[] predicted, scales; double predictedShift;
        using (store.Use())
        using (GradMode.Disable())
        {
            var centresQ = Gaussian(centresEncoder.Forward(observedInput).Reshape(5, 2), parameterization, options.Eta1Scale, options.SmoothBound);
            predicted = centresQ.Mean.Span.ToArray();
            scales = centresQ.Scale.Span.ToArray();
            predictedShift = Gaussian(shiftEncoder.Forward(observedInput).Reshape(1, 2), parameterization, options.Eta1Scale, options.SmoothBound).Mean.Span[0];
        }
        bool ordered = Enumerable.Range(0, 4).All(j => predicted[j] < predicted[j + 1]);
        return new GcviClusteringRun(objective, parameterization, replicate, predicted, predictedShift, ordered, loss, clock.Elapsed.TotalSeconds) { CentreScales = scales };
    }
}
