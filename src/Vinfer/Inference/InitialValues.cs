using System.Globalization;
using Vinfer.Data;
using Vinfer.Modeling;
using Vinfer.Tensors;

namespace Vinfer.Inference;

/// <summary>
/// User-given starting values of a fit, as Stan's <c>init</c> file gives them (Stan Reference Manual, "Initialization";
/// Carpenter et al., J. Stat. Softw. 2017): one constrained value per parameter, in the parameter's own shape. Each is
/// checked against the model's latent site (present, same shape, inside the support) and mapped to the unconstrained
/// scale by the site's bijector, where the guide's location starts (<see cref="FitOptions.InitialValues"/>).
/// </summary>
public sealed class InitialValues
{
    private readonly StanData _values;

    /// <summary>Starting values read from Stan-style JSON data (<c>{"mu": 1.5, "theta": [0, 1, …]}</c>).</summary>
    public InitialValues(StanData values)
    {
        _values = values ?? throw new ArgumentNullException(nameof(values));
    }

    /// <summary>Where the values come from (a file name), for messages.</summary>
    public string Source => _values.Source;

    /// <summary>The names given.</summary>
    public IReadOnlyCollection<string> Names => _values.Names;

    /// <summary>Reads a JSON file of constrained values per parameter.</summary>
    public static InitialValues Load(string path) => new(StanData.Load(path));

    /// <summary>
    /// Each latent site's starting value on the unconstrained scale, by site name. Throws an
    /// <see cref="ArgumentException"/> naming the parameter when one is missing, not a parameter of the model, of
    /// the wrong shape, outside its support or on its boundary (where the unconstrained value is infinite).
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> Unconstrain(IReadOnlyList<LatentSite> latents)
    {
        ArgumentNullException.ThrowIfNull(latents);
        string names = string.Join(", ", latents.Select(s => s.Name));
        foreach (var given in _values.Names)
            if (!latents.Any(s => s.Name == given))
                throw new ArgumentException($"init: '{given}' in {Source} is not a parameter of the model (parameters: {names}).");
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        using (GradMode.Disable())
            foreach (var site in latents)
            {
                if (!_values.Contains(site.Name))
                    throw new ArgumentException($"init: parameter '{site.Name}' is missing from {Source} (parameters: {names}).");
                Tensor value;
                try
                {
                    value = _values.GetShape(site.Name).Length == 0 ? Tensor.Scalar(_values.GetReal(site.Name)) : _values.GetArray(site.Name);
                }
                catch (DataFormatException e)
                {
                    throw new ArgumentException($"init: {e.Message}", e);
                }
                if (!value.Shape.SequenceEqual(site.Shape))
                    throw new ArgumentException($"init: parameter '{site.Name}' has shape {ShapeText(value.Shape)} in {Source}, expected {ShapeText(site.Shape)}.");
                // an elementwise support names the first entry outside it; a joint one (simplex, Cholesky factor) the whole value
                var elementwise = ConstraintCodec.Elementwise(site.Support);
                var inside = (elementwise.EventDim == 0 ? elementwise : site.Support).Check(value).Span;
                for (int i = 0; i < inside.Length; i++)
                    if (inside[i] == 0)
                        throw new ArgumentException($"init: parameter '{site.Name}'{EntryText(value, elementwise.EventDim == 0 ? i : -1)} in {Source} is outside its support ({site.Support.Name}).");
                var u = site.Bijector is { } b ? b.Inverse(value) : value;
                var us = u.Span;
                for (int i = 0; i < us.Length; i++)
                    if (!double.IsFinite(us[i]))
                        throw new ArgumentException($"init: parameter '{site.Name}' in {Source} lies on the boundary of its support ({site.Support.Name}), where it has no unconstrained value; give a value strictly inside.");
                result[site.Name] = site.UnconstrainedShape.Length == 0 ? Tensor.Scalar(us[0]) : Tensor.FromArray(us, site.UnconstrainedShape);
            }
        return result;
    }

    /// <summary>
    /// Sets the guide's location parameters in <paramref name="store"/> to <paramref name="unconstrained"/>: a
    /// per-site location <c>prefix.loc.SITE</c> takes its site's value, a flat location <c>prefix.loc</c> the sites'
    /// values in <paramref name="latents"/> order. Throws when the store has no location parameter.
    /// </summary>
    public static void SetLocation(ParamStore store, IReadOnlyList<LatentSite> latents, IReadOnlyDictionary<string, Tensor> unconstrained)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(latents);
        ArgumentNullException.ThrowIfNull(unconstrained);
        int total = latents.Sum(s => s.UnconstrainedCount);
        bool any = false;
        foreach (var (name, leaf) in store.Unconstrained)
        {
            int dot = name.IndexOf('.');
            string last = dot < 0 ? name : name[(dot + 1)..];
            if (last == "loc")
            {
                if (leaf.Count != total) continue;
                var span = leaf.Span;
                int offset = 0;
                foreach (var site in latents)
                {
                    unconstrained[site.Name].Span.CopyTo(span.Slice(offset, site.UnconstrainedCount));
                    offset += site.UnconstrainedCount;
                }
                any = true;
            }
            else if (last.StartsWith("loc.", StringComparison.Ordinal) && unconstrained.TryGetValue(last[4..], out var u) && u.Count == leaf.Count)
            {
                u.Span.CopyTo(leaf.Span);
                any = true;
            }
        }
        if (!any) throw new ArgumentException("init: the guide has no location parameter to start at the given values.", nameof(store));
    }

    private static string ShapeText(ReadOnlySpan<int> shape) => shape.Length == 0 ? "[] (a number)" : "[" + string.Join(", ", shape.ToArray()) + "]";

    /// <summary>" = v" for a number, "[i, j] = v" (1-based, as Stan indexes) for entry <paramref name="flatIndex"/> of an array; "" for a joint support.</summary>
    private static string EntryText(Tensor value, int flatIndex)
    {
        var entries = value.Span;
        if (value.Rank == 0) return " = " + entries[0].ToString("R", CultureInfo.InvariantCulture);
        if (flatIndex < 0) return "";
        var index = new int[value.Rank];
        int rest = flatIndex;
        for (int d = value.Rank - 1; d >= 0; d--)
        {
            index[d] = rest % value.Shape[d] + 1;
            rest /= value.Shape[d];
        }
        return $"[{string.Join(", ", index)}] = {entries[flatIndex].ToString("R", CultureInfo.InvariantCulture)}";
    }
}
