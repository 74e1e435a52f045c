using Vinfer.IO;
using System.Text.Json.Nodes;
using Vinfer.Tensors;
using Vinfer.Distributions;

namespace Vinfer.Modeling;

/// <summary>
/// The one store of learnable parameters: each name maps to an unconstrained leaf tensor (what optimizers update)
/// and the constraint whose bijector maps it to the constrained value models see. Optimizers, save/load and
/// checkpoints all work on this store. <see cref="Current"/> is per thread; <see cref="Use"/> swaps it for a scope.
/// </summary>
public sealed class ParamStore
{
    /// <summary>The file format's name, written in every saved store.</summary>
    public const string FormatName = "vinfer.params";

    /// <summary>The file format's version; readers accept this version and older.</summary>
    public const int FormatVersion = 1;

    [ThreadStatic] private static ParamStore? _current;

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly List<string> _order = new();

    private sealed class Entry(Tensor unconstrained, Constraint constraint, Bijector? bijector)
    {
        public Tensor Unconstrained = unconstrained;
        public readonly Constraint Constraint = constraint;
        public readonly Bijector? Bijector = bijector; // null for the real line (identity)
    }

    /// <summary>The store <c>Param</c> statements use on this thread.</summary>
    public static ParamStore Current => _current ??= new ParamStore();

    /// <summary>Makes this store <see cref="Current"/> until the returned scope is disposed.</summary>
    public IDisposable Use()
    {
        var previous = _current;
        _current = this;
        return new Restore(() => _current = previous);
    }

    private sealed class Restore(Action undo) : IDisposable
    {
        private Action? _undo = undo;
        public void Dispose() { _undo?.Invoke(); _undo = null; }
    }

    /// <summary>Parameter names in the order they were created.</summary>
    public IReadOnlyList<string> Names => _order;

    /// <summary>Number of parameters.</summary>
    public int Count => _order.Count;

    /// <summary>True when a parameter of this name exists.</summary>
    public bool Contains(string name) => _entries.ContainsKey(name);

    /// <summary>The unconstrained leaves, by name, in creation order: what an optimizer steps.</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> Unconstrained
    {
        get { foreach (var n in _order) yield return new(n, _entries[n].Unconstrained); }
    }

    /// <summary>The unconstrained leaf of a parameter.</summary>
    public Tensor GetUnconstrained(string name) => Find(name).Unconstrained;

    /// <summary>The constraint of a parameter.</summary>
    public Constraint GetConstraint(string name) => Find(name).Constraint;

    /// <summary>The constrained value of an existing parameter (differentiable in the leaf).</summary>
    public Tensor Get(string name)
    {
        var e = Find(name);
        return e.Bijector is null ? e.Unconstrained : e.Bijector.Forward(e.Unconstrained);
    }

    /// <summary>
    /// The constrained value of a parameter, creating it from <paramref name="init"/> (constrained) the first time.
    /// A later call with another constraint is an error.
    /// </summary>
    public Tensor Get(string name, Func<Tensor>? init, Constraint? constraint)
    {
        if (_entries.TryGetValue(name, out var e))
        {
            if (constraint is not null && !SameConstraint(constraint, e.Constraint))
                throw new InvalidOperationException($"Param '{name}': requested with constraint {constraint} but stored with {e.Constraint}.");
            return e.Bijector is null ? e.Unconstrained : e.Bijector.Forward(e.Unconstrained);
        }
        if (init is null) throw new KeyNotFoundException($"Param '{name}' is not in the store and no initial value was given.");
        var c = constraint ?? Constraints.Real;
        Tensor initial;
        using (GradMode.Disable()) initial = init();
        Add(name, initial, c);
        return Get(name);
    }

    /// <summary>Creates (or replaces) a parameter from its constrained value.</summary>
    public void Add(string name, Tensor constrainedValue, Constraint constraint)
    {
        var bijector = ConstraintCodec.UnconstrainingBijector(constraint);
        Tensor u;
        using (GradMode.Disable())
        using (var scope = new TensorScope())
        {
            var raw = bijector is null ? constrainedValue : bijector.Inverse(constrainedValue);
            var s = raw.Span;
            for (int i = 0; i < s.Length; i++)
                if (!double.IsFinite(s[i]))
                    throw new ArgumentException($"Param '{name}': initial value is outside its support {constraint} (unconstrained value {s[i]}).");
            u = Tensor.Parameter(s, raw.Shape.ToArray());
        }
        AddUnconstrained(name, u, constraint, bijector);
    }

    private void AddUnconstrained(string name, Tensor leaf, Constraint constraint, Bijector? bijector)
    {
        if (!_entries.ContainsKey(name)) _order.Add(name);
        _entries[name] = new Entry(leaf, constraint, bijector);
    }

    /// <summary>Removes every parameter.</summary>
    public void Clear()
    {
        _entries.Clear();
        _order.Clear();
    }

    /// <summary>Copies of every unconstrained value, to roll back to with <see cref="RestoreValues"/>.</summary>
    public Dictionary<string, double[]> SnapshotValues()
    {
        var d = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var n in _order) d[n] = _entries[n].Unconstrained.ToArray();
        return d;
    }

    /// <summary>Writes snapshot values back into the existing leaves (in place: optimizers keep their references).</summary>
    public void RestoreValues(IReadOnlyDictionary<string, double[]> snapshot)
    {
        foreach (var (n, v) in snapshot)
        {
            var leaf = Find(n).Unconstrained;
            if (v.Length != leaf.Count) throw new ArgumentException($"RestoreValues: '{n}' has {leaf.Count} values, snapshot has {v.Length}.");
            v.CopyTo(leaf.Span);
        }
    }

    private Entry Find(string name) => _entries.TryGetValue(name, out var e) ? e
        : throw new KeyNotFoundException($"Param '{name}' is not in the store (known: {string.Join(", ", _order)}).");

    private static bool SameConstraint(Constraint a, Constraint b) => ReferenceEquals(a, b) || ConstraintCodec.Encode(a) == ConstraintCodec.Encode(b);

    // ---- persistence ----

    /// <summary>The store as a JSON object (format name, version, and each parameter's name, shape, constraint, unconstrained values).</summary>
    public JsonObject ToJson()
    {
        var arr = new JsonArray();
        foreach (var n in _order)
        {
            var e = _entries[n];
            // JsonArray.Add(JsonNode), not Add<T>: the generic Add (which C# picks for any argument typed JsonValue or
            // JsonObject) resolves T's converter by reflection, which builds System.Text.Json's whole reflection resolver
            // in a fresh process and is not AOT-safe (the native vinfer's publish rejects it).
            var shape = new JsonArray();
            foreach (int d in e.Unconstrained.Shape) shape.Add((JsonNode)JsonValue.Create(d));
            var values = new JsonArray();
            foreach (double v in e.Unconstrained.Span) values.Add((JsonNode)JsonValue.Create(v));
            arr.Add((JsonNode)new JsonObject
            {
                ["name"] = n,
                ["shape"] = shape,
                ["constraint"] = ConstraintCodec.Encode(e.Constraint),
                ["unconstrained"] = values,
            });
        }
        return new JsonObject { ["format"] = FormatName, ["version"] = FormatVersion, ["params"] = arr };
    }

    /// <summary>A store read from <see cref="ToJson"/>'s output; the values are bit-exact.</summary>
    public static ParamStore FromJson(JsonNode node)
    {
        if (node is not JsonObject o || (string?)o["format"] != FormatName)
            throw new FormatException($"Not a Vinfer parameter store (expected \"format\": \"{FormatName}\").");
        int version = (int?)o["version"] ?? throw new FormatException("Parameter store: missing \"version\".");
        if (version > FormatVersion || version < 1)
            throw new FormatException($"Parameter store: version {version} is not supported (this build reads 1…{FormatVersion}).");
        var store = new ParamStore();
        foreach (var p in o["params"]?.AsArray() ?? throw new FormatException("Parameter store: missing \"params\"."))
        {
            string name = (string?)p!["name"] ?? throw new FormatException("Parameter store: a parameter has no \"name\".");
            var shape = p["shape"]!.AsArray().Select(x => (int)x!).ToArray();
            var values = p["unconstrained"]!.AsArray().Select(x => (double)x!).ToArray();
            var c = ConstraintCodec.Decode((string?)p["constraint"] ?? "real");
            var leaf = Tensor.Parameter(values, shape);
            store.AddUnconstrained(name, leaf, c, ConstraintCodec.UnconstrainingBijector(c));
        }
        return store;
    }

    /// <summary>Saves to a file (written to a temporary file beside it, then renamed).</summary>
    public void Save(string path) => JsonFile.WriteAtomic(path, ToJson());

    /// <summary>Loads a store saved by <see cref="Save"/>.</summary>
    public static ParamStore Load(string path) => FromJson(JsonNode.Parse(File.ReadAllText(path))
        ?? throw new FormatException($"{path}: empty file."));
}
