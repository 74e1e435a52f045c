using System.CommandLine;
using Vinfer.Cli.Infrastructure;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>vinfer fit MODEL …</c>: fits a model to the user's data. The command dispatches on the model name; each model's
/// path lives in its own class (e.g. <see cref="Ar1Fit"/>) and declares the options it reads. Options shared by
/// models are declared here.
/// </summary>
public static class FitCommand
{
    /// <summary>The data file to fit.</summary>
    public static readonly Option<string?> Data = new("--data") { Description = "Data file (CSV)." };

    /// <summary>Output folder for summary.json.</summary>
    public static readonly Option<string?> Output = new("--out") { Description = "Write DIR/summary.json." };

    /// <summary>Iteration limit.</summary>
    public static readonly Option<int> MaxIterations = new("--max-iterations") { Description = "Iteration limit.", DefaultValueFactory = _ => 100_000 };

    /// <summary>Relative convergence tolerance on the objective.</summary>
    public static readonly Option<double> Tolerance = new("--tol") { Description = "Stop when the objective changes by at most tol × (1 + |objective|).", DefaultValueFactory = _ => 1e-10 };

    /// <summary>Known models and their entry points (model name → action).</summary>
    private static readonly Dictionary<string, Func<ParseResult, int>> Models = new(StringComparer.Ordinal)
    {
        ["ar1"] = Ar1Fit.Run,
    };

    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = $"The model to fit ({string.Join(", ", Models.Keys)})." };
        var fit = new Command("fit", "Fit a model to data and print the estimates.") { model, Data, Output, MaxIterations, Tolerance };
        Ar1Fit.AddOptions(fit);
        fit.SetAction(pr =>
        {
            string name = pr.GetValue(model)!;
            return Models.TryGetValue(name, out var run)
                ? run(pr)
                : CliError.Report(pr, $"unknown model '{name}'; known models: {string.Join(", ", Models.Keys)}.");
        });
        return fit;
    }
}
