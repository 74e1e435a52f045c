using System.Diagnostics;
using Vinfer.Tensors;
using Vinfer.Guides;
using Vinfer.Modeling;
using Vinfer.Modeling.Handlers;
using Vinfer.Objectives;
using Vinfer.Optim;
using Vinfer.Random;

namespace Vinfer.Inference;

/// <summary>
/// Stochastic variational inference (Hoffman et al., "Stochastic variational inference", JMLR 2013; Pyro's
/// <c>SVI</c>): each step evaluates the objective on fresh particles, differentiates it and lets the optimizer update
/// the parameters in the store. A run stops after a fixed number of steps or by Stan's relative-tolerance rule
/// (Kucukelbir et al., JMLR 2017, §3.3), recovers from non-finite losses or gradients by restoring the last good
/// state with a smaller step size, and is deterministic for a seed: step k draws from key child k of the seed.
/// Each step runs in a <see cref="TensorScope"/>, so steady-state steps allocate little.
/// </summary>
public sealed class Svi
{
    private readonly Action _model;
    private readonly Action _guide;
    private readonly AutoGuide? _autoGuide;

    /// <summary>SVI of <paramref name="model"/> with a hand-written <paramref name="guide"/>.</summary>
    public Svi(Action model, Action guide, Optimizer optimizer, IObjective objective, ParamStore? store = null, int? maxPlateNesting = null)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _guide = guide ?? throw new ArgumentNullException(nameof(guide));
        Optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        Objective = objective ?? throw new ArgumentNullException(nameof(objective));
        Store = store ?? new ParamStore();
        MaxPlateNesting = maxPlateNesting ?? ModelPrototype.Capture(model).MaxPlateNesting;
        // Create the guide's parameters now, so recovery checkpoints and optimizers see them from the start.
        using (Store.Use())
        using (GradMode.Disable())
        using (new TensorScope())
        using (new SeedMessenger(0).Enter())
        using (new BlockMessenger().Enter())
            guide();
    }

    /// <summary>SVI of <paramref name="model"/> with an automatic guide (its parameters are created at once).</summary>
    public Svi(Action model, AutoGuide guide, Optimizer optimizer, IObjective objective, ParamStore? store = null)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _autoGuide = guide ?? throw new ArgumentNullException(nameof(guide));
        _guide = guide.Run;
        Optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        Objective = objective ?? throw new ArgumentNullException(nameof(objective));
        Store = store ?? new ParamStore();
        MaxPlateNesting = guide.MaxPlateNesting;
        using (Store.Use()) guide.InitializeParameters();
    }

    /// <summary>The parameters being fitted.</summary>
    public ParamStore Store { get; }

    /// <summary>The optimizer stepping <see cref="Store"/>'s unconstrained leaves.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The objective (its negative is minimized).</summary>
    public IObjective Objective { get; }

    /// <summary>The model's plate depth.</summary>
    public int MaxPlateNesting { get; }

    /// <summary>The guide program.</summary>
    public Action Guide => _guide;

    /// <summary>The model program.</summary>
    public Action Model => _model;

    /// <summary>
    /// One optimization step on draws from <paramref name="random"/>; returns the objective's estimate, or NaN when
    /// the loss or a gradient was not finite (the parameters are then left unchanged).
    /// </summary>
    public double Step(RandomStream random)
    {
        using var _ = Store.Use();
        using var scope = new TensorScope();
        ZeroGrads();
        var value = Objective.Evaluate(_model, _guide, MaxPlateNesting, random);
        double loss = value.Loss.Item();
        if (!double.IsFinite(loss) || !double.IsFinite(value.Estimate)) { ZeroGrads(); return double.NaN; }
        value.Loss.Backward();
        foreach (var (_, p) in Store.Unconstrained)
        {
            if (p.Grad is not { } g) continue;
            foreach (double x in g.Span)
                if (!double.IsFinite(x)) { ZeroGrads(); return double.NaN; }
        }
        Optimizer.Step(Store.Unconstrained);
        ZeroGrads();
        foreach (var (_, p) in Store.Unconstrained)
            foreach (double x in p.Span)
                if (!double.IsFinite(x)) return double.NaN;
        return value.Estimate;
    }

    private void ZeroGrads()
    {
        foreach (var (_, p) in Store.Unconstrained) p.ZeroGrad();
    }

    /// <summary>An ELBO estimate from <paramref name="particles"/> particles in one pass, without gradients.</summary>
    public double EvaluateElbo(int particles, RandomStream random)
    {
        using var _ = Store.Use();
        using var __ = GradMode.Disable();
        using var scope = new TensorScope();
        var w = ParticleLogWeights.Compute(_model, _guide, particles, MaxPlateNesting, random);
        return Elbo.MeanValue(w.LogP, w.LogQ);
    }

    /// <summary>
    /// Runs SVI as <paramref name="options"/> say; with <paramref name="resume"/>, continues a run from its checkpoint
    /// (up to <see cref="SviOptions.Steps"/> steps in total), bit-identically to a run that never stopped.
    /// </summary>
    public SviRun Run(SviOptions options, SviCheckpoint? resume = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Steps < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Svi.Run: Steps must be at least 1, got {options.Steps}.");
        if (options.EvalEvery < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Svi.Run: EvalEvery must be at least 1, got {options.EvalEvery}.");
        var root = new RandomKey(options.Seed);
        var monitor = options.Tolerance is { } tol ? ConvergenceMonitor.ForStan(options.Steps, options.EvalEvery, tol) : null;
        var trace = new List<double>(Math.Min(options.Steps, 100_000));
        var evaluations = new List<(int, double)>();
        var clock = Stopwatch.StartNew();

        int recoveries = 0;
        int step = 0;
        if (resume is not null)
        {
            Store.RestoreValues(ParamStore.FromJson(resume.Parameters).SnapshotValues());
            using (var ms = new MemoryStream(resume.OptimizerState)) Optimizer.LoadState(ms);
            step = resume.Step;
            recoveries = resume.Recoveries;
            trace.AddRange(resume.ElboTrace);
            evaluations.AddRange(resume.ElboEvaluations);
            foreach (var (_, e) in resume.ElboEvaluations) monitor?.Record(e);
        }
        // The last good state: parameter values, optimizer state, step and ELBO history.
        var good = Capture(step, trace.Count, evaluations.Count);
        bool converged = false;
        while (step < options.Steps)
        {
            var random = new RandomStream(root.Child(step).Fold(recoveries));
            double elbo = Step(random);
            if (!double.IsFinite(elbo))
            {
                if (++recoveries > options.MaxRecoveries)
                    throw new InvalidOperationException(
                        $"SVI: the loss or its gradient was not finite at step {step + 1} and {options.MaxRecoveries} restarts with smaller step sizes did not help " +
                        $"(learning rate now {Optimizer.LearningRate:G3}); check the model, its data and the initial values.");
                // restoring reloads the optimizer's rate and scale; the back-off is applied on top of the current ones
                double rate = Optimizer.LearningRate, scale = Optimizer.RateScale;
                Restore(good, trace, evaluations);
                Optimizer.LearningRate = rate;
                Optimizer.RateScale = scale;
                Optimizer.ScaleStepSize(options.Backoff);
                monitor?.Reset();
                step = good.Step;
                continue;
            }
            trace.Add(elbo);
            step++;
            options.Progress?.Invoke(new SviProgress(step, elbo, step / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), options.Steps));
            if (step % options.EvalEvery == 0)
            {
                if (monitor is not null)
                {
                    double e = EvaluateElbo(options.ElboParticles, new RandomStream(root.Child(step).Fold(-1)));
                    if (!double.IsFinite(e)) continue;
                    evaluations.Add((step, e));
                    if (monitor.Record(e)) { converged = true; break; }
                }
                good = Capture(step, trace.Count, evaluations.Count);
            }
        }
        LastCheckpoint = Checkpoint(step, recoveries, trace, evaluations);
        return new SviRun(step, converged, trace.ToArray(), evaluations, recoveries, Optimizer.LearningRate, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The state at the end of the last <see cref="Run"/>, to resume it later.</summary>
    public SviCheckpoint? LastCheckpoint { get; private set; }

    private SviCheckpoint Checkpoint(int step, int recoveries, List<double> trace, List<(int, double)> evaluations)
    {
        using var ms = new MemoryStream();
        Optimizer.SaveState(ms);
        return new SviCheckpoint(step, recoveries, Store.ToJson(), ms.ToArray(), trace.ToArray(), evaluations.ToList());
    }

    private sealed record GoodState(int Step, Dictionary<string, double[]> Values, byte[] OptimizerState, int TraceCount, int EvaluationCount);

    private GoodState Capture(int step, int traceCount, int evaluationCount)
    {
        using var ms = new MemoryStream();
        Optimizer.SaveState(ms);
        return new GoodState(step, Store.SnapshotValues(), ms.ToArray(), traceCount, evaluationCount);
    }

    private void Restore(GoodState good, List<double> trace, List<(int, double)> evaluations)
    {
        Store.RestoreValues(good.Values);
        using (var ms = new MemoryStream(good.OptimizerState)) Optimizer.LoadState(ms);
        trace.RemoveRange(good.TraceCount, trace.Count - good.TraceCount);
        evaluations.RemoveRange(good.EvaluationCount, evaluations.Count - good.EvaluationCount);
    }
}
