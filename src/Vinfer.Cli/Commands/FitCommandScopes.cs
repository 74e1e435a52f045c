using System.CommandLine;

namespace Vinfer.Cli.Commands;

/// <summary>The option scopes of <c>vinfer fit</c>: adds every path's options to the command and records who reads what.</summary>
internal static class FitCommandScopes
{
    /// <summary>Adds the paths' options to <paramref name="fit"/> and returns their scopes.</summary>
    public static FitOptionScopes Create(Command fit)
    {
        var scopes = new FitOptionScopes();
        scopes.Record("ar1", fit, Ar1Fit.AddOptions);
        scopes.Record("gmm", fit, GmmFit.AddOptions);
        scopes.Record("lda", fit, LdaFit.AddOptions);
        scopes.Record(FitOptionScopes.BuiltIn, fit, ModelFit.AddOptions);
        scopes.Share(FitCommand.MaxIterations, "ar1", "gmm");
        scopes.Share(FitCommand.Tolerance, "ar1", "gmm", FitOptionScopes.BuiltIn);
        scopes.Share(FitCommand.BatchSize, "gmm", "lda");
        scopes.Share(FitCommand.Output, "ar1", "gmm", "lda", FitOptionScopes.BuiltIn);
        scopes.Share(ModelFit.Seed, "gmm", "lda");
        scopes.Share(LdaFit.Threads, FitOptionScopes.BuiltIn);
        scopes.Share(DistributedFit.Distributed, "gmm", "lda");
        return scopes;
    }
}
