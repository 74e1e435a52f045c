using System.Text.Json.Nodes;
using Vinfer.Inference;
using Vinfer.Random;

namespace Vinfer.Conjugate;

/// <summary>
/// Batch coordinate-ascent variational inference (CAVI; Bishop 2006, §10.1.1; Blei, Kucukelbir and McAuliffe 2017,
/// §2.4) on a conjugate model, as an <see cref="IIterativeUpdate"/> that <see cref="FitLoop"/> drives: each step
/// optimizes every local factor given q(θ), then sets q(θ) to its optimum η₀ + S given the locals, and returns the
/// ELBO in closed form at the new q(θ) with those locals (<see cref="ConjugateElbo"/>). Both halves are exact
/// coordinate maximizations, so the returned ELBO never decreases from one step to the next (up to round-off);
/// <see cref="ElboDecrease"/> records the largest decrease seen. Deterministic: the random stream is not used.
/// </summary>
public sealed class CoordinateAscent : IIterativeUpdate
{
    private readonly IConjugateModel _model;
    private readonly double[] _prior;
    private readonly double[] _statistics;
    private readonly double[] _natural;
    private double _lastElbo = double.NaN;

    /// <summary>CAVI on <paramref name="model"/>, starting from its current q(θ).</summary>
    public CoordinateAscent(IConjugateModel model)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _prior = new double[model.GlobalDimension];
        _statistics = new double[model.GlobalDimension];
        _natural = new double[model.GlobalDimension];
        model.PriorNaturalParameters(_prior);
    }

    /// <summary>The model being fitted.</summary>
    public IConjugateModel Model => _model;

    /// <summary>The ELBO after the last step (NaN before the first).</summary>
    public double LastElbo => _lastElbo;

    /// <summary>The largest decrease of the ELBO between consecutive steps so far (0 when it never decreased).</summary>
    public double ElboDecrease { get; private set; }

    /// <inheritdoc />
    public string Name => $"CAVI ({_model.Name})";

    /// <inheritdoc />
    public double Step(RandomStream random)
    {
        double local = _model.LocalStep([], allData: true, _statistics);
        for (int i = 0; i < _natural.Length; i++) _natural[i] = _prior[i] + _statistics[i];
        _model.SetNaturalParameters(_natural);
        double elbo = ConjugateElbo.Evaluate(_model, _statistics, local);
        if (double.IsFinite(_lastElbo) && elbo < _lastElbo) ElboDecrease = Math.Max(ElboDecrease, _lastElbo - elbo);
        _lastElbo = elbo;
        return elbo;
    }

    /// <inheritdoc />
    public object CaptureState()
    {
        var state = new double[_model.GlobalDimension];
        _model.GetNaturalParameters(state);
        return (state, _lastElbo);
    }

    /// <inheritdoc />
    public void RestoreState(object snapshot)
    {
        var (state, elbo) = ((double[], double))snapshot;
        _model.SetNaturalParameters(state);
        _lastElbo = elbo;
    }

    /// <summary>CAVI has no step size; a failed step is not retried with a smaller one.</summary>
    public void BackOff(double factor) { }

    /// <inheritdoc />
    public double StepSize => 1.0;

    /// <inheritdoc />
    public JsonNode SaveState()
    {
        var state = new double[_model.GlobalDimension];
        _model.GetNaturalParameters(state);
        return new JsonObject { ["natural"] = FitLoopCheckpoint.TraceToJson(state), ["elbo"] = double.IsFinite(_lastElbo) ? _lastElbo : null };
    }

    /// <inheritdoc />
    public void LoadState(JsonNode state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _model.SetNaturalParameters(FitLoopCheckpoint.TraceFromJson(state["natural"]!));
        _lastElbo = (double?)state["elbo"] ?? double.NaN;
    }

    /// <summary>The ELBO after the last step (what the step returned); before any step, at optimal locals.</summary>
    public double EstimateObjective(int particles, RandomStream random) =>
        double.IsFinite(_lastElbo) ? _lastElbo : ConjugateElbo.AtOptimalLocals(_model);
}
