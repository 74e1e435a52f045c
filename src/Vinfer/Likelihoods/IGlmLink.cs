using Vinfer.Tensors.Kernels;

namespace Vinfer.Likelihoods;

/// <summary>
/// The per-observation part of a GLM log-likelihood as a function of the linear predictor η: the term ℓ(y, η) and its
/// derivative r = ∂ℓ/∂η, written once over <see cref="IDoubleLanes{TSelf}"/> and so evaluated on 8, 4 or 1 predictors
/// (<see cref="DoubleLanes512"/>, <see cref="DoubleLanes256"/>, <see cref="DoubleLane"/>) by the same formulas.
/// Implemented by small structs so that <see cref="GlmKernel{TLink}"/> is specialized (and the calls inlined) per
/// link and per width.
/// </summary>
internal interface IGlmLink
{
    /// <summary>ℓ(y, η) and ∂ℓ/∂η for <c>TLanes.Count</c> observations.</summary>
    static abstract void Terms<TLanes>(TLanes eta, TLanes y, out TLanes ll, out TLanes r) where TLanes : struct, IDoubleLanes<TLanes>;
}
