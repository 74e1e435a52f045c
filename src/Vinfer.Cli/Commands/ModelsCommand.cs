using System.CommandLine;
using System.Text;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>vinfer models</c>: the models <c>vinfer fit</c> knows, each with its description, the data fields it reads and
/// whether data are bundled (so <c>vinfer fit NAME</c> runs without <c>--data</c>).
/// </summary>
public static class ModelsCommand
{
    /// <summary>The fit paths that are not built-in variational models, with their descriptions and data.</summary>
    private static readonly (string Name, string Description, string Data)[] SpecialModels =
    [
        ("ar1", "AR(1) state-space model fitted by EM, variational EM or the structured mean field (--method).", "a CSV series (--column)"),
        ("gmm", "Bayesian Gaussian mixture by coordinate ascent or stochastic VI (--method).", "a numeric CSV, one point per row"),
        ("lda", "Latent Dirichlet allocation by coordinate ascent or stochastic VI (--method).", "a text corpus or document-term counts (--format)"),
    ];

    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("models", "List the built-in models with their descriptions and data fields.");
        command.SetAction(pr =>
        {
            pr.InvocationConfiguration.Output.Write(Listing());
            return 0;
        });
        return command;
    }

    /// <summary>The listing as text.</summary>
    internal static string Listing()
    {
        var sb = new StringBuilder();
        foreach (var name in FitCommand.BuiltInModels.Names)
        {
            var m = FitCommand.BuiltInModels.Get(name);
            bool bundled = m.BundledData is not null;
            sb.AppendLine($"{m.Name}");
            sb.AppendLine($"    {m.Description}");
            sb.AppendLine($"    data: {(m.DataFields.Count == 0 ? "(see the model's documentation)" : string.Join(", ", m.DataFields))}{(bundled ? "; bundled data: vinfer fit " + m.Name + " runs without --data" : "; give --data FILE (Stan data-JSON or CSV)")}");
        }
        foreach (var (name, description, data) in SpecialModels)
        {
            sb.AppendLine(name);
            sb.AppendLine($"    {description}");
            sb.AppendLine($"    data: {data}");
        }
        return sb.ToString();
    }
}
