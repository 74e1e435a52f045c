using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Vinfer.Models;

/// <summary>
/// Built-in models by name: every non-abstract <see cref="BuiltInModel"/> with a public parameterless constructor in
/// the given assemblies. <see cref="Library"/> holds this library's own models; a program that ships more models (the
/// command line adds the posteriordb suite's) builds a registry over its assemblies too.
/// </summary>
public sealed class ModelRegistry
{
    private readonly Lazy<IReadOnlyDictionary<string, BuiltInModel>> _all;

    /// <summary>Why discovery needs the assemblies' types kept whole.</summary>
    public const string TrimReason = "Finds the models by reflection over every type of the assemblies: a trimmed or Native AOT program must keep those types and their constructors (a TrimmerRootDescriptor), as the native vinfer does (src/Vinfer.Cli.Native/BuiltInModels.xml).";

    /// <summary>A registry of the models defined in <paramref name="assemblies"/>.</summary>
    [RequiresUnreferencedCode(TrimReason)]
    public ModelRegistry(params Assembly[] assemblies)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        var distinct = assemblies.Distinct().ToArray();
        _all = new Lazy<IReadOnlyDictionary<string, BuiltInModel>>(() => Discover(distinct));
    }

    /// <summary>The models this library ships (eight schools, the regressions…).</summary>
    public static ModelRegistry Library { [RequiresUnreferencedCode(TrimReason)] get => LazyInitializer.EnsureInitialized(ref _library, () => new(typeof(BuiltInModel).Assembly)); }

    private static ModelRegistry? _library;

    /// <summary>The model names, sorted.</summary>
    public IReadOnlyList<string> Names => _all.Value.Keys.OrderBy(n => n, StringComparer.Ordinal).ToList();

    /// <summary>The model with this name, or false.</summary>
    public bool TryGet(string name, out BuiltInModel model) => _all.Value.TryGetValue(name, out model!);

    /// <summary>The model with this name; throws naming the known ones otherwise.</summary>
    public BuiltInModel Get(string name) => TryGet(name, out var m) ? m
        : throw new ArgumentException($"unknown model '{name}'; known models: {string.Join(", ", Names)}.");

    [RequiresUnreferencedCode(TrimReason)]
    private static IReadOnlyDictionary<string, BuiltInModel> Discover(Assembly[] assemblies)
    {
        var d = new Dictionary<string, BuiltInModel>(StringComparer.Ordinal);
        foreach (var t in assemblies.SelectMany(a => a.GetTypes()))
        {
            if (t.IsAbstract || !typeof(BuiltInModel).IsAssignableFrom(t) || t.GetConstructor(Type.EmptyTypes) is null) continue;
            var m = (BuiltInModel)Activator.CreateInstance(t)!;
            if (!d.TryAdd(m.Name, m))
                throw new InvalidOperationException($"Two built-in models are named '{m.Name}': {d[m.Name].GetType().Name} and {t.Name}.");
        }
        return d;
    }
}
