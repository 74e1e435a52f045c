using Vinfer.Tensors;

namespace Vinfer.Nn;

/// <summary>Anything that maps a tensor to a tensor inside a network: a <see cref="Module"/> or an <see cref="Activation"/>.</summary>
public interface ILayer
{
    /// <summary>Applies the layer; the input's leading (batch) dimensions pass through unchanged.</summary>
    Tensor Forward(Tensor input);
}
