namespace Vinfer.Flows;

/// <summary>A fixed <see cref="Permutation"/> in a stack of flow layers (no parameters): the reversal by default.</summary>
public sealed class PermutationModule : FlowModule
{
    /// <summary>The reversal of vectors of size <paramref name="dimension"/>.</summary>
    public PermutationModule(string name, int dimension) : base(name, dimension) { }

    /// <inheritdoc/>
    public override Flow Build() => Permutation.Reverse(Dimension); // a fresh flow: its cache never outlives a run
}
