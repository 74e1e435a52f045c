using System.CommandLine;

namespace Vinfer.Cli.Commands;

/// <summary>
/// Which fit path reads which option. <c>vinfer fit</c> has one option list for all models; an option that the
/// chosen model's path never reads (<c>--x0</c> on eight_schools) is refused with the paths it belongs to, instead of
/// being ignored silently. Each path's own options are recorded as its <c>AddOptions</c> adds them; options shared by
/// several paths are declared with <see cref="Share"/>.
/// </summary>
internal sealed class FitOptionScopes
{
    /// <summary>The path of the built-in variational models (<see cref="ModelFit"/>).</summary>
    public const string BuiltIn = "built-in models";

    private readonly Dictionary<Option, HashSet<string>> _owners = [];

    /// <summary>Runs <paramref name="addOptions"/> on <paramref name="fit"/> and records the options it added as <paramref name="path"/>'s.</summary>
    public void Record(string path, Command fit, Action<Command> addOptions)
    {
        var before = fit.Options.ToHashSet();
        addOptions(fit);
        foreach (var o in fit.Options.Where(o => !before.Contains(o))) Share(o, path);
    }

    /// <summary>Declares that <paramref name="paths"/> read <paramref name="option"/>.</summary>
    public void Share(Option option, params string[] paths)
    {
        if (!_owners.TryGetValue(option, out var set)) _owners[option] = set = new HashSet<string>(StringComparer.Ordinal);
        set.UnionWith(paths);
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> for the first option given on the command line that <paramref name="path"/>
    /// does not read; <paramref name="model"/> names the model in the message.
    /// </summary>
    public void Check(ParseResult parseResult, string path, string model)
    {
        foreach (var (option, paths) in _owners)
        {
            if (paths.Contains(path) || parseResult.GetResult(option) is not { Implicit: false }) continue;
            throw new ArgumentException($"{option.Name} does not apply to model '{model}'; it applies to: {string.Join(", ", paths.Order(StringComparer.Ordinal))}.");
        }
    }
}
