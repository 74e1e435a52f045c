using System.Text.Json.Nodes;
using Vinfer.Random;

namespace Vinfer.Objectives;

/// <summary>
/// An objective whose particle count can change between steps (for a particle schedule such as
/// <see cref="Inference.ParticleSchedule"/>): one instance of the wrapped objective per count, built on first use
/// from a factory, so each keeps the settings it was built with. The state saved is every instance's state, keyed by
/// its count (an ELBO's moving-average baselines live only in its one-particle instance); the current count is not
/// state, the schedule sets it.
/// </summary>
public sealed class ScheduledParticleObjective : IObjective
{
    private readonly Func<int, IObjective> _create;
    private readonly SortedDictionary<int, IObjective> _instances = [];
    private IObjective _current;

    /// <summary>Wraps the objectives <paramref name="create"/> builds, starting at <paramref name="particles"/> particles.</summary>
    public ScheduledParticleObjective(Func<int, IObjective> create, int particles)
    {
        _create = create ?? throw new ArgumentNullException(nameof(create));
        _current = InstanceFor(particles);
    }

    /// <summary>The objective in use now.</summary>
    public IObjective Current => _current;

    /// <inheritdoc/>
    public int Particles => _current.Particles;

    /// <summary>Switches to <paramref name="particles"/> particles (an instance built on first use).</summary>
    public void SetParticles(int particles) => _current = InstanceFor(particles);

    private IObjective InstanceFor(int particles)
    {
        if (particles < 1) throw new ArgumentOutOfRangeException(nameof(particles), particles, "ScheduledParticleObjective: particles must be at least 1.");
        if (_instances.TryGetValue(particles, out var existing)) return existing;
        var made = _create(particles) ?? throw new InvalidOperationException($"ScheduledParticleObjective: the factory returned null for {particles} particles.");
        _instances[particles] = made;
        return made;
    }

    /// <inheritdoc/>
    public ObjectiveValue Evaluate(Action model, Action guide, int maxPlateNesting, RandomStream random) =>
        _current.Evaluate(model, guide, maxPlateNesting, random);

    /// <inheritdoc/>
    public double Estimate(Action model, Action guide, int maxPlateNesting, int particles, RandomStream random) =>
        _current.Estimate(model, guide, maxPlateNesting, particles, random);

    /// <summary>Every instance's state by particle count, <c>{"3": state, …}</c>; null when none has state.</summary>
    public JsonNode? SaveState()
    {
        JsonObject? states = null;
        foreach (var (count, objective) in _instances)
            if (objective.SaveState() is { } state) (states ??= [])[count.ToString(System.Globalization.CultureInfo.InvariantCulture)] = state;
        return states;
    }

    /// <summary>Restores the states of <see cref="SaveState"/>; an instance absent from it gets a fresh state.</summary>
    public void LoadState(JsonNode? state)
    {
        if (state is not null and not JsonObject)
            throw new FormatException($"ScheduledParticleObjective: the saved state must be a JSON object of states by particle count, got {state.GetValueKind()}.");
        var states = state as JsonObject;
        if (states is not null)
            foreach (var (key, _) in states)
                if (!int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int count) || count < 1)
                    throw new FormatException($"ScheduledParticleObjective: a saved state's key must be a particle count, got '{key}'.");
                else InstanceFor(count);
        foreach (var (count, objective) in _instances)
            objective.LoadState(states?[count.ToString(System.Globalization.CultureInfo.InvariantCulture)]?.DeepClone());
    }
}
