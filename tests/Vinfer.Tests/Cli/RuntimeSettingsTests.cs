using System.Text.Json.Nodes;

namespace Vinfer.Tests.Cli;

/// <summary>
/// The managed <c>vinfer</c>'s runtime settings (src/Vinfer.Cli/Vinfer.Cli.csproj): loops compiled optimized at once
/// and no instrumented (dynamic PGO) tier, both measured in docs/stan-comparison.md. A change to either must be a
/// decision, not an accident of the project file.
/// </summary>
public class RuntimeSettingsTests
{
    [Fact]
    public void TheManagedProgramSkipsTheUnoptimizedLoopAndInstrumentedTiers()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vinfer.Cli.runtimeconfig.json")))!;
        var properties = config["runtimeOptions"]!["configProperties"]!;
        Assert.False((bool)properties["System.Runtime.TieredCompilation.QuickJitForLoops"]!);
        Assert.False((bool)properties["System.Runtime.TieredPGO"]!);
    }
}
