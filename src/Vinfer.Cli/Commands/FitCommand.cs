using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using Vinfer.Cli.Infrastructure;
using Vinfer.Experiments.Posteriordb;
using Vinfer.Models;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>vinfer fit MODEL …</c>: fits a model to the user's data. The command dispatches on the model name; each model's
/// path lives in its own class (e.g. <see cref="Ar1Fit"/>, and <see cref="ModelFit"/> for every built-in model of
/// <see cref="ModelRegistry"/>) and declares the options it reads. Options shared by models are declared here.
/// </summary>
public static class FitCommand
{
    /// <summary>The data file to fit.</summary>
    public static readonly Option<string?> Data = new("--data") { Description = "Data file: Stan data-JSON, or CSV (built-in models without one use their bundled data)." };

    /// <summary>Output folder for summary.json.</summary>
    public static readonly Option<string?> Output = new("--out") { Description = "Write DIR/summary.json (and DIR/draws.csv for the variational models)." };

    /// <summary>Iteration limit.</summary>
    public static readonly Option<int> MaxIterations = new("--max-iterations") { Description = "Iteration limit.", DefaultValueFactory = _ => 100_000 };

    /// <summary>Relative convergence tolerance on the objective.</summary>
    public static readonly Option<double?> Tolerance = new("--tol")
    {
        Description = "Relative convergence tolerance. Built-in models: stop when the ELBO's relative change is at most tol (default 0.01, Stan's tol_rel_obj; without --tol, --steps fixes the step count). ar1: stop when the objective changes by at most tol × (1 + |objective|) (default 1e-10). gmm: default 1e-3.",
    };

    /// <summary>
    /// The fitting method. Its meaning depends on the model: ar1 takes em, vem or structured (default em); the
    /// built-in variational models take advi (default) or alpha-moments. Each model's path rejects the others' methods.
    /// </summary>
    public static readonly Option<string?> Method = new("--method")
    {
        Description = "ar1: em (default), vem or structured. gmm, lda: cavi (default) or svi. Built-in models: advi (default) or alpha-moments (monotonic alpha-divergence updates).",
    };

    /// <summary>Minibatch size of stochastic methods.</summary>
    public static readonly Option<int?> BatchSize = new("--batch-size") { Description = "Minibatch size of stochastic VI (gmm: points per step, default 1000; lda: documents per step, default 128)." };

    /// <summary>Known models and their entry points (model name → action).</summary>
    private static readonly Dictionary<string, Func<ParseResult, int>> Models = new(StringComparer.Ordinal)
    {
        ["ar1"] = Ar1Fit.Run,
        ["gmm"] = GmmFit.Run,
        ["lda"] = LdaFit.Run,
    };

    /// <summary>The built-in variational models: the library's and the posteriordb suite's.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The native vinfer keeps the model types (src/Vinfer.Cli.Native/BuiltInModels.xml); a model it misses is not in its registry, so ManagedCommands.RunsNatively hands that fit to the managed program. PackageInstallTests runs a built-in fit natively.")]
    internal static ModelRegistry BuiltInModels => LazyInitializer.EnsureInitialized(ref _builtInModels, () => new(typeof(BuiltInModel).Assembly, typeof(PosteriordbModel).Assembly));

    private static ModelRegistry? _builtInModels;

    /// <summary>Every model name the command accepts: the special paths, then the built-in variational models.</summary>
    private static IEnumerable<string> KnownModels => Models.Keys.Concat(BuiltInModels.Names);

    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = $"The model to fit ({string.Join(", ", KnownModels)}), or a C# file defining one (MODEL.cs, see docs/user-models.md)." };
        var fit = new Command("fit", "Fit a model to data and print the estimates.") { model, Data, Output, MaxIterations, Tolerance, Method, BatchSize };
        var scopes = FitCommandScopes.Create(fit);
        fit.SetAction(pr =>
        {
            string name = pr.GetValue(model)!;
            bool special = Models.ContainsKey(name);
            if (!special && !BuiltInModels.TryGet(name, out _) && !UserModelFit.IsModelFile(name))
                return CliError.Report(pr, $"unknown model '{name}'; known models: {string.Join(", ", KnownModels)}, or a C# model file (MODEL.cs).");
            int preflight = CliError.Guard(pr, () =>
            {
                scopes.Check(pr, special ? name : FitOptionScopes.BuiltIn, name);
                OutputFolder.Check(pr.GetValue(Output));
                return 0;
            });
            if (preflight != 0) return preflight;
            if (Models.TryGetValue(name, out var run)) return run(pr);
            if (UserModelFit.IsModelFile(name) && !BuiltInModels.TryGet(name, out _))
                return ManagedCommands.IsSupported ? UserModelFit.Run(pr, name) : CliError.Report(pr, ManagedCommands.NotInNativeBuild("compiling a C# model").Message);
            return ModelFit.Run(pr, BuiltInModels.Get(name));
        });
        return fit;
    }
}
