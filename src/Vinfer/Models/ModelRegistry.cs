using System.Reflection;

namespace Vinfer.Models;

/// <summary>The built-in models by name: every non-abstract <see cref="BuiltInModel"/> in the Vinfer assembly.</summary>
public static class ModelRegistry
{
    private static readonly Lazy<IReadOnlyDictionary<string, BuiltInModel>> All = new(Discover);

    /// <summary>The model names, sorted.</summary>
    public static IReadOnlyList<string> Names => All.Value.Keys.OrderBy(n => n, StringComparer.Ordinal).ToList();

    /// <summary>The model with this name, or false.</summary>
    public static bool TryGet(string name, out BuiltInModel model) => All.Value.TryGetValue(name, out model!);

    /// <summary>The model with this name; throws naming the known ones otherwise.</summary>
    public static BuiltInModel Get(string name) => TryGet(name, out var m) ? m
        : throw new ArgumentException($"unknown model '{name}'; known models: {string.Join(", ", Names)}.");

    private static IReadOnlyDictionary<string, BuiltInModel> Discover()
    {
        var d = new Dictionary<string, BuiltInModel>(StringComparer.Ordinal);
        foreach (var t in typeof(BuiltInModel).Assembly.GetTypes())
        {
            if (t.IsAbstract || !typeof(BuiltInModel).IsAssignableFrom(t) || t.GetConstructor(Type.EmptyTypes) is null) continue;
            var m = (BuiltInModel)Activator.CreateInstance(t)!;
            if (!d.TryAdd(m.Name, m))
                throw new InvalidOperationException($"Two built-in models are named '{m.Name}': {d[m.Name].GetType().Name} and {t.Name}.");
        }
        return d;
    }
}
