using Xunit.Abstractions;

namespace Vinfer.Tests.Architecture;

/// <summary>
/// The namespaces form layers: no cycle anywhere in src/, the span kernels use nothing above them, and the library
/// never reaches the studies or the command line.
/// </summary>
public class LayeringTests(ITestOutputHelper output)
{
    [Fact]
    public void NamespaceGraphHasNoCycle()
    {
        var graph = NamespaceGraph.Sources;
        output.WriteLine(graph.Format());
        var cycles = graph.Cycles();
        Assert.True(cycles.Count == 0, "namespace cycles: " + string.Join("; ", cycles.Select(c => string.Join(" <-> ", c))) + "\n" + graph.Format());
    }

    [Fact]
    public void GraphSeesTheKnownEdges()
    {
        // Guards the graph itself: if binding silently found nothing, the no-cycle test would pass vacuously.
        var graph = NamespaceGraph.Sources;
        Assert.True(graph.Edges.ContainsKey(("Vinfer.Distributions", "Vinfer.Tensors")));
        Assert.True(graph.Edges.ContainsKey(("Vinfer.Inference", "Vinfer.Guides")));
        Assert.True(graph.Edges.ContainsKey(("Vinfer.Cli.Commands", "Vinfer.Models")));
        Assert.True(graph.Edges[("Vinfer.Distributions", "Vinfer.Tensors")] > 50);
    }

    [Fact]
    public void KernelsUseNoOtherVinferNamespace()
    {
        var up = NamespaceGraph.Sources.Edges.Keys.Where(e => e.From == "Vinfer.Tensors.Kernels").Select(e => e.To).ToList();
        Assert.True(up.Count == 0, "Vinfer.Tensors.Kernels uses " + string.Join(", ", up));
    }

    [Fact]
    public void LibraryDoesNotReachStudiesOrCli()
    {
        var bad = NamespaceGraph.Sources.Edges.Keys
            .Where(e => !e.From.StartsWith("Vinfer.Experiments", StringComparison.Ordinal) && !e.From.StartsWith("Vinfer.Cli", StringComparison.Ordinal))
            .Where(e => e.To.StartsWith("Vinfer.Experiments", StringComparison.Ordinal) || e.To.StartsWith("Vinfer.Cli", StringComparison.Ordinal))
            .ToList();
        Assert.True(bad.Count == 0, "library namespaces using studies or the CLI: " + string.Join(", ", bad));
    }
}
