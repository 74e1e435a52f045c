using Vinfer.Cli.Commands;
using Vinfer.Cli.Infrastructure;

namespace Vinfer.Tests.Cli;

/// <summary>
/// Which command lines the native vinfer runs itself (<see cref="ManagedCommands.RunsNatively"/>): only fits of the
/// built-in models without Parquet data, distribution or help; everything else goes to the managed program.
/// </summary>
public class ManagedCommandsTests
{
    private static bool Native(params string[] args) => ManagedCommands.RunsNatively(args, FitCommand.BuiltInModels);

    [Fact]
    public void BuiltInFitsRunNatively()
    {
        Assert.True(Native("fit", "eight_schools"));
        Assert.True(Native("fit", "logistic_regression", "--data", "d.json", "--family", "fullrank", "--tol", "0.01", "--seed", "2", "--out", "o"));
        Assert.True(Native("fit", "eight_schools-eight_schools_noncentered", "--data", "d.csv"));
    }

    [Theory]
    [InlineData("fit", "examples/normal_mean.cs", "--data", "examples/normal_mean.json")] // Roslyn: needs the JIT
    [InlineData("fit", "ar1", "--data", "y.csv")]
    [InlineData("fit", "gmm")]
    [InlineData("fit", "no_such_model")]
    [InlineData("fit", "logistic_regression", "--data", "d.parquet")]
    [InlineData("fit", "logistic_regression", "--data=D.PARQUET")]
    [InlineData("fit", "logistic_regression", "--distributed")]
    [InlineData("fit", "logistic_regression", "--shards", "folder")]
    [InlineData("fit", "eight_schools", "--help")]
    [InlineData("fit", "eight_schools", "-h")]
    [InlineData("fit")]
    [InlineData("models")]
    [InlineData("bench", "fit", "--repeats", "2", "--", "fit", "eight_schools")]
    [InlineData()]
    public void EverythingElseGoesToTheManagedProgram(params string[] args) => Assert.False(Native(args));

    [Fact]
    public void TheManagedProgramRunsEverything() => Assert.True(ManagedCommands.IsSupported);
}
