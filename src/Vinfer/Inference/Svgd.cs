using System.Text.Json.Nodes;
using Vinfer.Guides;
using Vinfer.Modeling;
using Vinfer.Objectives;
using Vinfer.Optim;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Inference;

/// <summary>
/// Stein variational gradient descent (Liu and Wang, "Stein Variational Gradient Descent: A General Purpose Bayesian
/// Inference Algorithm", NeurIPS 2016, Algorithm 1), beside <see cref="Svi"/>: n particles over the model's
/// unconstrained latents (<see cref="AutoParticles"/>) move along φ(xᵢ) = (1/n) Σⱼ [k(xⱼ, xᵢ) ∇log p(xⱼ) +
/// ∇_{xⱼ} k(xⱼ, xᵢ)]: the kernel-weighted score pulls them to high density, the kernel's gradient pushes them apart.
/// The scores of all particles come from one vectorized pass of the model under a particle plate
/// (<see cref="ParticleLogWeights"/>), so plates and subsampling in the model work as in SVI (a subsampled plate gives
/// an unbiased, rescaled score). The step is the optimizer's, fed with −φ as the gradient (Adagrad as in the
/// paper's experiments, or Adam). Driven by <see cref="FitLoop"/>: recovery from non-finite steps, checkpoints and
/// Stan's stopping rule, applied to the mean unconstrained log density of the particles (SVGD has no ELBO).
/// </summary>
public sealed class Svgd : IIterativeUpdate
{
    private readonly Action _model;

    /// <summary>
    /// SVGD of <paramref name="model"/> with <paramref name="particles"/> particles (at least 2: the median
    /// heuristic and the repulsive term need pairs), <paramref name="kernel"/> (default RBF with the median heuristic)
    /// and <paramref name="optimizer"/> (default Adagrad with rate 0.1).
    /// </summary>
    public Svgd(Action model, int particles, SteinKernel? kernel = null, Optimizer? optimizer = null, ParamStore? store = null, double initScale = 1.0, ulong initSeed = 0)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        if (particles < 2) throw new ArgumentOutOfRangeException(nameof(particles), $"SVGD: needs at least 2 particles, got {particles}.");
        Guide = new AutoParticles(model, particles, initScale, initSeed);
        Kernel = kernel ?? new RbfSteinKernel();
        Optimizer = optimizer ?? new Adagrad(0.1);
        Store = store ?? new ParamStore();
        using (Store.Use()) Guide.InitializeParameters();
    }

    /// <summary>The particles as a guide (its draws are the particles).</summary>
    public AutoParticles Guide { get; }

    /// <summary>The kernel.</summary>
    public SteinKernel Kernel { get; }

    /// <summary>The optimizer stepping the particles.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Holds the particles (parameter <see cref="AutoParticles.ParticlesName"/>).</summary>
    public ParamStore Store { get; }

    /// <summary>The number of particles.</summary>
    public int ParticleCount => Guide.ParticleCount;

    /// <summary>
    /// Annealed SVGD's schedule of the driving term (<see cref="SvgdAnnealing"/>, D'Angelo and Fortuin 2021); null
    /// (the default) for plain SVGD.
    /// </summary>
    public SvgdAnnealing? Annealing { get; init; }

    /// <summary>The number of steps taken so far (it sets γ of <see cref="Annealing"/>; saved with the state).</summary>
    public int StepsTaken { get; private set; }

    /// <summary>The particles' unconstrained coordinates, [n, d] (the store's leaf: do not modify).</summary>
    public Tensor Particles => Store.GetUnconstrained(Guide.ParticlesName);

    /// <summary>
    /// log p(x, T(u)) + log|det ∂T/∂u| at every particle u, shape [n], from one pass of the model under a particle
    /// plate seeded by <paramref name="random"/> (which drives any subsampling).
    /// </summary>
    private Tensor LogDensities(RandomStream random)
    {
        var w = ParticleLogWeights.Compute(_model, Guide.Run, ParticleCount, Guide.MaxPlateNesting, random);
        return w.LogWeights;
    }

    /// <summary>One SVGD step; returns the particles' mean unconstrained log density before it, or NaN when not finite.</summary>
    public double Step(RandomStream random)
    {
        using var _ = Store.Use();
        using var scope = new TensorScope();
        var x = Particles;
        x.ZeroGrad();
        var logDensity = LogDensities(random);
        double mean = logDensity.Mean().Item();
        if (!double.IsFinite(mean)) { x.ZeroGrad(); return double.NaN; }
        logDensity.Sum().Backward();
        var scores = x.Grad ?? throw new InvalidOperationException("SVGD: the particles received no gradient (does the model use its latents?).");
        foreach (double g in scores.Span)
            if (!double.IsFinite(g)) { x.ZeroGrad(); return double.NaN; }
        if (Annealing is { } annealing)
        {
            // tempered target p^γ: only the driving term is scaled, the repulsion stays whole
            double gamma = annealing.Gamma(StepsTaken);
            var g = scores.Span;
            for (int i = 0; i < g.Length; i++) g[i] *= gamma;
        }
        var phi = Kernel.Direction(x, scores);
        // optimizers minimize: the ascent direction φ enters as the gradient −φ
        var grad = scores.Span;
        var p = phi.Span;
        for (int i = 0; i < grad.Length; i++) grad[i] = -p[i];
        Optimizer.Step([new KeyValuePair<string, Tensor>(Guide.ParticlesName, x)]);
        x.ZeroGrad();
        StepsTaken++;
        foreach (double v in x.Span)
            if (!double.IsFinite(v)) return double.NaN;
        return mean;
    }

    /// <summary>The particles' mean unconstrained log density (the monitored quantity); <paramref name="particles"/> is unused: every particle counts.</summary>
    public double EstimateObjective(int particles, RandomStream random)
    {
        using var _ = Store.Use();
        using var __ = GradMode.Disable();
        using var scope = new TensorScope();
        return LogDensities(random).Mean().Item();
    }

    /// <summary>Runs SVGD as <paramref name="options"/> say, through <see cref="FitLoop"/>; with <paramref name="resume"/>, continues a run.</summary>
    public SviRun Run(SviOptions options, FitLoopCheckpoint? resume = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var loop = new FitLoop(this);
        if (Annealing is { } annealing && options.Tolerance is not null && options.Steps > annealing.Steps
            && (resume is null || resume.Step < annealing.Steps))
        {
            // the tempered target moves under the stopping rule: run the annealed steps whole, then continue under the rule
            loop.Run(options with { Steps = annealing.Steps, Tolerance = null, AbsoluteTolerance = null }, resume);
            resume = loop.LastCheckpoint;
        }
        var run = loop.Run(options, resume);
        LastCheckpoint = loop.LastCheckpoint;
        return run;
    }

    /// <summary>The state at the end of the last <see cref="Run"/>, to resume it later.</summary>
    public FitLoopCheckpoint? LastCheckpoint { get; private set; }

    // ---- IIterativeUpdate ----

    string IIterativeUpdate.Name => "SVGD";

    double IIterativeUpdate.StepSize => Optimizer.LearningRate;

    private sealed record Snapshot(Dictionary<string, double[]> Values, byte[] OptimizerState, int StepsTaken);

    object IIterativeUpdate.CaptureState()
    {
        using var ms = new MemoryStream();
        Optimizer.SaveState(ms);
        return new Snapshot(Store.SnapshotValues(), ms.ToArray(), StepsTaken);
    }

    void IIterativeUpdate.RestoreState(object snapshot)
    {
        var good = (Snapshot)snapshot;
        double rate = Optimizer.LearningRate, scale = Optimizer.RateScale;
        Store.RestoreValues(good.Values);
        StepsTaken = good.StepsTaken;
        using (var ms = new MemoryStream(good.OptimizerState)) Optimizer.LoadState(ms);
        Optimizer.LearningRate = rate;
        Optimizer.RateScale = scale;
    }

    void IIterativeUpdate.BackOff(double factor) => Optimizer.ScaleStepSize(factor);

    JsonNode IIterativeUpdate.SaveState()
    {
        using var ms = new MemoryStream();
        Optimizer.SaveState(ms);
        return SviCheckpoint.StateToJson(Store.ToJson(), ms.ToArray(), new JsonObject { ["steps_taken"] = StepsTaken });
    }

    void IIterativeUpdate.LoadState(JsonNode state)
    {
        var (parameters, optimizerState, svgdState) = SviCheckpoint.StateFromJson(state);
        Store.RestoreValues(ParamStore.FromJson(parameters).SnapshotValues());
        StepsTaken = (int?)svgdState?["steps_taken"] ?? 0;
        using (var ms = new MemoryStream(optimizerState)) Optimizer.LoadState(ms);
    }
}
