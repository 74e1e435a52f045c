using Vinfer.Tensors;

namespace Vinfer.Nn;

/// <summary>Flattens every dimension after the first into one, [N, …] → [N, ∏…] (PyTorch's <c>nn.Flatten()</c>); a view.</summary>
public sealed class Flatten : ILayer
{
    /// <summary>The layer (it has no state).</summary>
    public static Flatten Instance { get; } = new();

    /// <inheritdoc/>
    public Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 1) throw new ArgumentException("Flatten: the input is a scalar; it needs a batch dimension.", nameof(input));
        return input.Reshape(input.Dim(0), input.Dim(0) == 0 ? 0 : input.Count / input.Dim(0));
    }
}
