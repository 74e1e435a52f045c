using Vinfer.Tensors;

namespace Vinfer.Nn;

/// <summary>
/// Layers applied in order (PyTorch's <c>nn.Sequential</c>). The modules among them become its children (their
/// names are their own: build them with names under this one's, e.g. <c>net.0</c>, <c>net.2</c>).
/// </summary>
public sealed class Sequential : Module
{
    private readonly ILayer[] _layers;

    /// <summary>Creates the container.</summary>
    public Sequential(string name, params ILayer[] layers) : base(name)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Length == 0) throw new ArgumentException($"Sequential '{name}': needs at least one layer.", nameof(layers));
        for (int i = 0; i < layers.Length; i++)
        {
            if (layers[i] is null) throw new ArgumentException($"Sequential '{name}': layer {i} is null.", nameof(layers));
            if (layers[i] is Module m) Register(m);
        }
        _layers = layers;
    }

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<ILayer> Layers => _layers;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        var h = input;
        foreach (var layer in _layers) h = layer.Forward(h);
        return h;
    }
}
