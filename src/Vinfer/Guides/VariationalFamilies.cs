namespace Vinfer.Guides;

/// <summary>
/// The registry of variational families: the one place that maps command-line names and saved-file family names to
/// <see cref="VariationalFamily"/> objects. The library's families are listed here, in the order help texts show
/// them; a family defined elsewhere joins with <see cref="Register"/>.
/// </summary>
public static class VariationalFamilies
{
    private static readonly object Gate = new();
    private static VariationalFamily[] _all = [];

    static VariationalFamilies()
    {
        MeanField = new MeanFieldFamily();
        FullRank = new FullRankFamily();
        LowRank = new LowRankFamily();
        Map = new MapFamily();
        foreach (var f in new[] { MeanField, FullRank, LowRank, Map }) Register(f);
        foreach (var f in new VariationalFamily[] { new FlowFamily(FlowFamily.Coupling), new FlowFamily(FlowFamily.Iaf), new FlowFamily(FlowFamily.Nsf), new FlowFamily(FlowFamily.Planar), new SvgdFamily() }) Register(f);
    }

    /// <summary>The mean-field Gaussian (<see cref="MeanFieldFamily"/>).</summary>
    public static VariationalFamily MeanField { get; }

    /// <summary>The full-rank Gaussian (<see cref="FullRankFamily"/>).</summary>
    public static VariationalFamily FullRank { get; }

    /// <summary>The low-rank-plus-diagonal Gaussian (<see cref="LowRankFamily"/>).</summary>
    public static VariationalFamily LowRank { get; }

    /// <summary>MAP (<see cref="MapFamily"/>).</summary>
    public static VariationalFamily Map { get; }

    /// <summary>Every registered family, in registration order.</summary>
    public static IReadOnlyList<VariationalFamily> All => Volatile.Read(ref _all);

    /// <summary>
    /// Adds a family. Its <see cref="VariationalFamily.Name"/>, aliases and <see cref="VariationalFamily.FileFamily"/>
    /// must not clash with a registered family's.
    /// </summary>
    public static void Register(VariationalFamily family)
    {
        ArgumentNullException.ThrowIfNull(family);
        lock (Gate)
        {
            foreach (var name in family.Aliases.Prepend(family.Name))
                if (TryGet(name, out var other))
                    throw new ArgumentException($"VariationalFamilies.Register: the name '{name}' of {family.GetType().Name} is already taken by {other.GetType().Name}.", nameof(family));
            if (TryGetByFileFamily(family.FileFamily, out var owner))
                throw new ArgumentException($"VariationalFamilies.Register: the file family '{family.FileFamily}' of {family.GetType().Name} is already taken by {owner.GetType().Name}.", nameof(family));
            Volatile.Write(ref _all, [.. _all, family]);
        }
    }

    /// <summary>The family with this command-line name or alias (ordinal), if any.</summary>
    public static bool TryGet(string name, out VariationalFamily family)
    {
        foreach (var f in All)
            if (f.Name == name || f.Aliases.Contains(name)) { family = f; return true; }
        family = null!;
        return false;
    }

    /// <summary>The family with this command-line name or alias; an <see cref="ArgumentException"/> listing the names otherwise.</summary>
    public static VariationalFamily Get(string name) => TryGet(name, out var f) ? f
        : throw new ArgumentException($"Unknown variational family '{name}'; known: {string.Join(", ", Names)}.", nameof(name));

    /// <summary>The family whose saved guides carry this family name, if any.</summary>
    public static bool TryGetByFileFamily(string fileFamily, out VariationalFamily family)
    {
        foreach (var f in All)
            if (f.FileFamily == fileFamily) { family = f; return true; }
        family = null!;
        return false;
    }

    /// <summary>The command-line names (without aliases), in registration order.</summary>
    public static IReadOnlyList<string> Names => All.Select(f => f.Name).ToArray();

    /// <summary>The names as prose: "a, b, c or d".</summary>
    public static string NameList(string conjunction = "or")
    {
        var names = Names;
        return names.Count <= 1 ? string.Join("", names) : $"{string.Join(", ", names.Take(names.Count - 1))} {conjunction} {names[^1]}";
    }
}
