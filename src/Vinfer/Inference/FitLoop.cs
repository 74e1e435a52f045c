using System.Diagnostics;
using System.Runtime.InteropServices;
using Vinfer.Diagnostics;
using Vinfer.Random;

namespace Vinfer.Inference;

/// <summary>
/// The iteration loop shared by iterative inference methods (<see cref="IIterativeUpdate"/>): runs a fixed number of
/// steps or stops by Stan's relative-tolerance rule on the objective's estimate every <see cref="SviOptions.EvalEvery"/>
/// steps (Kucukelbir et al., JMLR 2017, §3.3; <see cref="ConvergenceMonitor"/>); recovers from a non-finite step by
/// going back to the last good state (taken at each evaluation) with a smaller step size; and checkpoints, so that a
/// run resumed from <see cref="LastCheckpoint"/> is bit-identical to one that never stopped. Step k draws from key
/// child k of the seed, folded with the number of recoveries so far; every evaluation from the same key (common random numbers, <see cref="StreamTags.ConvergenceDraws"/>).
/// With <see cref="SviOptions.RequireStationarity"/> Stan's rule stops the run only when the per-step trace's last
/// block is also stationary (<see cref="ObjectiveStationarity"/>): the relative rule alone stops a fit whose |ELBO|
/// is huge (large N) while it still gains thousands of nats per block.
/// </summary>
public sealed class FitLoop
{
    /// <summary>A loop driving <paramref name="update"/>.</summary>
    public FitLoop(IIterativeUpdate update) => Update = update ?? throw new ArgumentNullException(nameof(update));

    /// <summary>The method being iterated.</summary>
    public IIterativeUpdate Update { get; }

    /// <summary>The state at the end of the last <see cref="Run"/>, to resume it later.</summary>
    public FitLoopCheckpoint? LastCheckpoint { get; private set; }

    private sealed record GoodState(int Step, object State, int TraceCount, int EvaluationCount);

    /// <summary>
    /// Runs as <paramref name="options"/> say; with <paramref name="resume"/>, continues a run from its checkpoint (up
    /// to <see cref="SviOptions.Steps"/> steps in total). <see cref="SviRun.ElboTrace"/> holds the per-step estimates
    /// and <see cref="SviRun.LearningRate"/> the final step size.
    /// </summary>
    public SviRun Run(SviOptions options, FitLoopCheckpoint? resume = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        string name = Update.Name;
        if (options.Steps < 1) throw new ArgumentOutOfRangeException(nameof(options), $"{name}: Steps must be at least 1, got {options.Steps}.");
        if (options.EvalEvery < 1) throw new ArgumentOutOfRangeException(nameof(options), $"{name}: EvalEvery must be at least 1, got {options.EvalEvery}.");
        if (options.CheckpointEvery is { } every && (every < 1 || every % options.EvalEvery != 0))
            throw new ArgumentOutOfRangeException(nameof(options), $"{name}: CheckpointEvery must be a positive multiple of EvalEvery ({options.EvalEvery}), got {every}.");
        var root = new RandomKey(options.Seed);
        // every check draws the same base noise (common random numbers): with fresh draws per check, Stan's relative
        // change |ΔELBO/ELBO| is dominated by the two estimates' independent Monte Carlo errors once the fit has settled
        var evaluationKey = root.Fold(StreamTags.ConvergenceDraws);
        var monitor = options.Tolerance is { } tol ? ConvergenceMonitor.ForStan(options.Steps, options.EvalEvery, tol) : null;
        var trace = new List<double>(Math.Min(options.Steps, 100_000));
        var evaluations = new List<(int, double)>();
        var clock = Stopwatch.StartNew();

        int recoveries = 0;
        int step = 0;
        if (resume is not null)
        {
            Update.LoadState(resume.State);
            step = resume.Step;
            recoveries = resume.Recoveries;
            trace.AddRange(resume.Trace);
            evaluations.AddRange(resume.Evaluations);
            foreach (var (_, e) in resume.Evaluations) monitor?.Record(e);
        }
        if (monitor is not null) options.MonitorUpdated?.Invoke(monitor);
        var good = new GoodState(step, Update.CaptureState(), trace.Count, evaluations.Count);
        bool converged = false;
        while (step < options.Steps)
        {
            var random = new RandomStream(root.Child(step).Fold(recoveries));
            double value = Update.Step(random);
            if (!double.IsFinite(value))
            {
                if (++recoveries > options.MaxRecoveries)
                    throw new InvalidOperationException(Update.DescribeFailure(step + 1, options.MaxRecoveries));
                Update.RestoreState(good.State);
                Update.BackOff(options.Backoff);
                trace.RemoveRange(good.TraceCount, trace.Count - good.TraceCount);
                evaluations.RemoveRange(good.EvaluationCount, evaluations.Count - good.EvaluationCount);
                if (monitor is not null)
                {
                    monitor.Reset();
                    options.MonitorUpdated?.Invoke(monitor);
                }
                step = good.Step;
                continue;
            }
            trace.Add(value);
            step++;
            options.Progress?.Invoke(new SviProgress(step, value, step / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), options.Steps));
            if (step % options.EvalEvery == 0)
            {
                if (monitor is not null || options.AbsoluteTolerance is not null)
                {
                    double e = Update.EstimateObjective(options.ElboParticles, new RandomStream(evaluationKey));
                    if (!double.IsFinite(e)) continue;
                    bool absolute = options.AbsoluteTolerance is { } absoluteTolerance && evaluations.Count > 0
                        && Math.Abs(e - evaluations[^1].Item2) < absoluteTolerance;
                    evaluations.Add((step, e));
                    bool recorded = monitor?.Record(e) == true;
                    if (monitor is not null) options.MonitorUpdated?.Invoke(monitor);
                    bool relative = recorded
                        && (!options.RequireStationarity || options.EvalEvery < 2 || ObjectiveStationarity.Assess(CollectionsMarshal.AsSpan(trace), options.EvalEvery) is not { Stationary: false });
                    if (relative || absolute) { converged = true; break; }
                }
                good = new GoodState(step, Update.CaptureState(), trace.Count, evaluations.Count);
                if (options.Checkpoint is { } save && options.CheckpointEvery is { } period && step % period == 0)
                    save(new FitLoopCheckpoint(step, recoveries, Update.SaveState(), trace.ToArray(), evaluations.ToList()));
            }
        }
        LastCheckpoint = new FitLoopCheckpoint(step, recoveries, Update.SaveState(), trace.ToArray(), evaluations.ToList());
        var array = trace.ToArray();
        return new SviRun(step, converged, array, evaluations, recoveries, Update.StepSize, clock.Elapsed.TotalSeconds)
        {
            Stationarity = options.EvalEvery >= 2 ? ObjectiveStationarity.Assess(array, options.EvalEvery) : null,
        };
    }
}
