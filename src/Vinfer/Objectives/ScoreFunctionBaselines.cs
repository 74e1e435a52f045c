using System.Text.Json.Nodes;

namespace Vinfer.Objectives;

/// <summary>
/// One exponential moving average of the learning signal per guide site, the baseline of one-sample score-function
/// terms (Ranganath, Gerrish and Blei, "Black box variational inference", AISTATS 2014): keyed by site, so each
/// site's term is centred by its own history, and saved with a checkpoint so a resumed fit matches one that never stopped.
/// </summary>
internal sealed class ScoreFunctionBaselines
{
    private const double Decay = 0.9;
    private readonly Dictionary<string, double> _values = new(StringComparer.Ordinal);

    /// <summary>The signal minus the site's baseline (0 the first time), then folds a finite signal into the average.</summary>
    public double Centre(string site, double signal)
    {
        bool known = _values.TryGetValue(site, out double baseline);
        double centred = signal - (known ? baseline : signal);
        if (double.IsFinite(signal)) _values[site] = known ? Decay * baseline + (1 - Decay) * signal : signal;
        return centred;
    }

    /// <summary><c>{"baselines": {site: value}}</c>; null before any.</summary>
    public JsonNode? Save()
    {
        if (_values.Count == 0) return null;
        var baselines = new JsonObject();
        foreach (var (site, value) in _values) baselines[site] = value;
        return new JsonObject { ["baselines"] = baselines };
    }

    /// <summary>Replaces the baselines by those of <see cref="Save"/> (null clears them); <paramref name="owner"/> names the objective in errors.</summary>
    public void Load(JsonNode? state, string owner)
    {
        _values.Clear();
        if (state is null) return;
        if (state["baselines"] is not JsonObject baselines)
            throw new FormatException($"{owner}.LoadState: expected {{\"baselines\": {{site: value}}}}, got {state.ToJsonString()}.");
        foreach (var (site, value) in baselines) _values[site] = (double)value!;
    }
}
