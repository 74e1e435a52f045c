using Vinfer.Tensors;

namespace Vinfer.Flows;

/// <summary>
/// The network of a coupling or autoregressive flow: from an input [..., n] to the parameters of the elementwise
/// transform of each transformed coordinate, [..., m, k] (k parameters per coordinate: 2 for an affine map, 3K − 1
/// for a K-bin spline). For an autoregressive flow the output for coordinate i may depend only on inputs before i
/// in the flow's order (a MADE network, Germain et al. ICML 2015); for a coupling flow, on the conditioning half.
/// </summary>
public delegate Tensor Conditioner(Tensor input);
