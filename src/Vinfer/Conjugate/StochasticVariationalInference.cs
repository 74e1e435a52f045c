using System.Text.Json.Nodes;
using Vinfer.Inference;
using Vinfer.Random;

namespace Vinfer.Conjugate;

/// <summary>
/// Stochastic variational inference on a conjugate model (Hoffman, Blei, Wang and Paisley, JMLR 2013, Fig. 4), as an
/// <see cref="IIterativeUpdate"/> that <see cref="FitLoop"/> drives. Each step draws a minibatch B of distinct points,
/// optimizes their local factors given q(θ) (<see cref="IConjugateModel.LocalStep"/>, to convergence when the local
/// problem is iterative), forms the intermediate global parameter λ̂ = η₀ + (N/|B|)·S_B — the optimum of q(θ) if the
/// data were N copies of the batch — and takes the natural-gradient step λ ← (1 − ρ_t)λ + ρ_t·λ̂ with
/// ρ_t = (t + τ)^(−κ) (the natural gradient of the ELBO in λ is η₀ + N·E[S] − λ, so this is a step of size ρ_t along
/// it). With <see cref="NaturalGradientSettings.AverageFrom"/> the reported q(θ) is the running mean of λ.
/// A step returns the unbiased minibatch estimate of the ELBO at the q(θ) it started from; the objective the loop
/// monitors (<see cref="EstimateObjective"/>) is the exact ELBO with optimal locals over all the data.
/// </summary>
public sealed class StochasticVariationalInference : IIterativeUpdate
{
    private readonly IConjugateModel _model;
    private readonly NaturalGradientSettings _settings;
    private readonly double[] _prior;
    private readonly double[] _statistics;
    private readonly double[] _natural;
    private readonly double[] _average;
    private readonly int[] _batch;
    private long _step;
    private long _averaged;
    private double _stepScale = 1.0;

    /// <summary>SVI on <paramref name="model"/> from its current q(θ), with <paramref name="settings"/>.</summary>
    public StochasticVariationalInference(IConjugateModel model, NaturalGradientSettings settings)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        settings.Validate(model.TotalCount);
        int g = model.GlobalDimension;
        _prior = new double[g]; _statistics = new double[g]; _natural = new double[g]; _average = new double[g];
        _batch = new int[settings.BatchSize];
        model.PriorNaturalParameters(_prior);
        model.GetNaturalParameters(_natural);
    }

    /// <summary>The settings.</summary>
    public NaturalGradientSettings Settings => _settings;

    /// <summary>Steps taken.</summary>
    public long Steps => _step;

    /// <inheritdoc />
    public string Name => $"SVI ({_model.Name})";

    /// <inheritdoc />
    public double Step(RandomStream random)
    {
        ArgumentNullException.ThrowIfNull(random);
        int n = _model.TotalCount, b = _batch.Length;
        DrawBatch(random.NextKey(), n, _batch);
        _model.SetNaturalParameters(_natural);
        double local = _model.LocalStep(_batch, allData: b == n, _statistics);
        double scale = (double)n / b;
        double estimate = ConjugateElbo.Evaluate(_model, _statistics, local, scale);
        double rho = _stepScale * _settings.StepSize(_step);
        for (int i = 0; i < _natural.Length; i++)
            _natural[i] = (1 - rho) * _natural[i] + rho * (_prior[i] + scale * _statistics[i]);
        _step++;
        if (_settings.AverageFrom is int from && _step >= from)
        {
            _averaged++;
            for (int i = 0; i < _natural.Length; i++) _average[i] += (_natural[i] - _average[i]) / _averaged;
        }
        _model.SetNaturalParameters(Reported);
        return estimate;
    }

    /// <summary>The natural parameters reported as the fit: the running average when averaging has started, else λ.</summary>
    private double[] Reported => _averaged > 0 ? _average : _natural;

    /// <summary>
    /// B distinct indices out of N by Floyd's algorithm (Bentley and Floyd 1987), sorted so the local step reads
    /// the data in memory order.
    /// </summary>
    private static void DrawBatch(RandomKey key, int n, int[] batch)
    {
        int b = batch.Length;
        if (b == n)
        {
            for (int i = 0; i < n; i++) batch[i] = i;
            return;
        }
        var uniforms = new double[b];
        Sample.Uniform(key, uniforms);
        var chosen = new HashSet<int>(b);
        int next = 0;
        for (int j = n - b; j < n; j++)
        {
            int t = Math.Min((int)(uniforms[next++] * (j + 1)), j);
            if (!chosen.Add(t)) chosen.Add(j);
        }
        chosen.CopyTo(batch);
        Array.Sort(batch);
    }

    /// <inheritdoc />
    public object CaptureState() => ((double[])_natural.Clone(), (double[])_average.Clone(), _step, _averaged);

    /// <inheritdoc />
    public void RestoreState(object snapshot)
    {
        var (natural, average, step, averaged) = ((double[], double[], long, long))snapshot;
        natural.CopyTo(_natural, 0);
        average.CopyTo(_average, 0);
        _step = step;
        _averaged = averaged;
        _model.SetNaturalParameters(Reported);
    }

    /// <inheritdoc />
    public void BackOff(double factor) => _stepScale *= factor;

    /// <inheritdoc />
    public double StepSize => _stepScale * _settings.StepSize(_step);

    /// <inheritdoc />
    public JsonNode SaveState() => new JsonObject
    {
        ["natural"] = FitLoopCheckpoint.TraceToJson(_natural),
        ["average"] = FitLoopCheckpoint.TraceToJson(_average),
        ["step"] = _step,
        ["averaged"] = _averaged,
        ["step_scale"] = _stepScale,
    };

    /// <inheritdoc />
    public void LoadState(JsonNode state)
    {
        ArgumentNullException.ThrowIfNull(state);
        FitLoopCheckpoint.TraceFromJson(state["natural"]!).CopyTo(_natural, 0);
        FitLoopCheckpoint.TraceFromJson(state["average"]!).CopyTo(_average, 0);
        _step = (long)state["step"]!;
        _averaged = (long)state["averaged"]!;
        _stepScale = (double)state["step_scale"]!;
        _model.SetNaturalParameters(Reported);
    }

    /// <summary>The exact ELBO of the reported q(θ) with every local factor at its optimum (a pass over all the data).</summary>
    public double EstimateObjective(int particles, RandomStream random) => ConjugateElbo.AtOptimalLocals(_model);
}
