using System.Text.Json.Nodes;
using Vinfer.Tensors;
using Vinfer.Distributions;
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
/// state with a smaller step size, and is deterministic for a seed: step k draws from key child k of the seed. The
/// loop is <see cref="FitLoop"/>'s, which other iterative methods share; SVI is its <see cref="IIterativeUpdate"/>.
/// Each step runs in a <see cref="TensorScope"/>, so steady-state steps allocate little.
/// </summary>
public sealed class Svi : IIterativeUpdate
{
    private readonly Action _model;
    private readonly Action _guide;

    /// <summary>
    /// SVI of <paramref name="model"/> with a hand-written <paramref name="guide"/> (Pyro's pattern): a program that
    /// samples the model's latent sites under the same names and plates, local latents in subsampled plates included
    /// (the model's plates replay the guide's subsample). The guide runs once here, under a fixed seed and hidden from
    /// outer handlers, to create its parameters. <paramref name="maxPlateNesting"/> is the model's plate depth, read
    /// from one prior run of the model when null.
    /// </summary>
    public Svi(Action model, Action guide, Optimizer optimizer, IObjective objective, ParamStore? store = null, int? maxPlateNesting = null)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _guide = guide ?? throw new ArgumentNullException(nameof(guide));
        Optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        Objective = objective ?? throw new ArgumentNullException(nameof(objective));
        Store = store ?? new ParamStore();
        MaxPlateNesting = maxPlateNesting ?? ModelPrototype.PlateNesting(model);
        // Create the guide's parameters now, so recovery checkpoints and optimizers see them from the start. The seed
        // is inside the block: a block stops messages before they reach the handlers outside it.
        using (Store.Use())
        using (GradMode.Disable())
        using (new TensorScope())
        using (new BlockMessenger().Enter())
        using (new SeedMessenger(0).Enter())
            guide();
    }

    /// <summary>SVI of <paramref name="model"/> with an automatic guide (its parameters are created at once).</summary>
    public Svi(Action model, AutoGuide guide, Optimizer optimizer, IObjective objective, ParamStore? store = null)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        ArgumentNullException.ThrowIfNull(guide);
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
        ObjectiveValue value;
        try
        {
            value = Objective.Evaluate(_model, _guide, MaxPlateNesting, random);
        }
        catch (NonFiniteParameterException e)
        {
            // a draw overflowed (τ = exp(log τ) = ∞): its log density is −∞, a non-finite step the loop recovers from
            LastNonFiniteReason = e.Message;
            ZeroGrads();
            return double.NaN;
        }
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

    /// <summary>An ELBO estimate from <paramref name="particles"/> particles in one pass, without gradients (whatever the objective).</summary>
    public double EvaluateElbo(int particles, RandomStream random)
    {
        using var _ = Store.Use();
        using var __ = GradMode.Disable();
        using var scope = new TensorScope();
        var w = ParticleLogWeights.Compute(_model, _guide, particles, MaxPlateNesting, random);
        return Elbo.MeanValue(w.LogP, w.LogQ);
    }

    /// <summary>
    /// The objective's no-gradient estimate from <paramref name="particles"/> particles
    /// (<see cref="IObjective.Estimate"/>): what the convergence monitor of <see cref="Run"/> records.
    /// </summary>
    public double EstimateObjective(int particles, RandomStream random)
    {
        using var _ = Store.Use();
        using var __ = GradMode.Disable();
        using var scope = new TensorScope();
        try
        {
            return Objective.Estimate(_model, _guide, MaxPlateNesting, particles, random);
        }
        catch (NonFiniteParameterException e)
        {
            LastNonFiniteReason = e.Message;
            return double.NaN;
        }
    }

    /// <summary>
    /// Runs SVI as <paramref name="options"/> say, through <see cref="FitLoop"/> (recovery, Stan's rule on
    /// <see cref="EstimateObjective"/>, checkpoint); with <paramref name="resume"/>, continues a run from its
    /// checkpoint (up to <see cref="SviOptions.Steps"/> steps in total), bit-identically to a run that never stopped.
    /// </summary>
    public SviRun Run(SviOptions options, SviCheckpoint? resume = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Steps < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Svi.Run: Steps must be at least 1, got {options.Steps}.");
        if (options.EvalEvery < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Svi.Run: EvalEvery must be at least 1, got {options.EvalEvery}.");
        var loop = new FitLoop(this);
        var run = loop.Run(options, resume?.ToFitLoopCheckpoint());
        LastCheckpoint = SviCheckpoint.FromFitLoopCheckpoint(loop.LastCheckpoint!);
        return run;
    }

    /// <summary>The state at the end of the last <see cref="Run"/>, to resume it later.</summary>
    public SviCheckpoint? LastCheckpoint { get; private set; }

    // ---- IIterativeUpdate ----

    string IIterativeUpdate.Name => "SVI";

    double IIterativeUpdate.StepSize => Optimizer.LearningRate;

    string IIterativeUpdate.DescribeFailure(int step, int restarts) =>
        $"SVI: the loss or its gradient was not finite at step {step} and {restarts} restarts with smaller step sizes did not help " +
        $"(learning rate now {Optimizer.LearningRate:G3}); check the model, its data and the initial values." +
        (LastNonFiniteReason is { } reason ? $" The last draw the model could not score: {reason}" : "");

    /// <summary>The message of the last draw the model could not score (a parameter overflowed to NaN or ∞), or null.</summary>
    public string? LastNonFiniteReason { get; private set; }

    double IIterativeUpdate.EstimateObjective(int particles, RandomStream random) => EstimateObjective(particles, random);

    private sealed record Snapshot(Dictionary<string, double[]> Values, byte[] OptimizerState, JsonNode? ObjectiveState);

    object IIterativeUpdate.CaptureState()
    {
        using var ms = new MemoryStream();
        Optimizer.SaveState(ms);
        return new Snapshot(Store.SnapshotValues(), ms.ToArray(), Objective.SaveState());
    }

    void IIterativeUpdate.RestoreState(object snapshot)
    {
        var good = (Snapshot)snapshot;
        // restoring reloads the optimizer's rate and scale; a recovery backs off from the current ones
        double rate = Optimizer.LearningRate, scale = Optimizer.RateScale;
        Store.RestoreValues(good.Values);
        using (var ms = new MemoryStream(good.OptimizerState)) Optimizer.LoadState(ms);
        Objective.LoadState(good.ObjectiveState?.DeepClone());
        Optimizer.LearningRate = rate;
        Optimizer.RateScale = scale;
    }

    void IIterativeUpdate.BackOff(double factor) => Optimizer.ScaleStepSize(factor);

    JsonNode IIterativeUpdate.SaveState()
    {
        using var ms = new MemoryStream();
        Optimizer.SaveState(ms);
        return SviCheckpoint.StateToJson(Store.ToJson(), ms.ToArray(), Objective.SaveState());
    }

    void IIterativeUpdate.LoadState(JsonNode state)
    {
        var (parameters, optimizerState, objectiveState) = SviCheckpoint.StateFromJson(state);
        Store.RestoreValues(ParamStore.FromJson(parameters).SnapshotValues());
        using (var ms = new MemoryStream(optimizerState)) Optimizer.LoadState(ms);
        Objective.LoadState(objectiveState);
    }
}
