namespace Vinfer.Nn;

/// <summary>
/// The arithmetic a network layer computes in. Tensors between layers, the parameters in the
/// <see cref="Modeling.ParamStore"/>, the optimizers and every log-density stay float64 in both; the precision only
/// decides how a layer's GEMMs and activations run inside it.
/// </summary>
/// <remarks>
/// <see cref="Float32"/> is mixed-precision training with a master copy of the weights in the wider type, as in
/// Micikevicius et al. (2018), "Mixed Precision Training", ICLR, with float32/float64 in place of float16/float32: each
/// forward pass rounds the input and the float64 weights to float32 once, runs the GEMMs in float32 (SGEMM) and keeps
/// the activations in float32 work buffers for the backward pass; gradients are computed in float32 and accumulated
/// into the float64 gradients of the weights, which Adam then updates in float64. Results differ from
/// <see cref="Float64"/> by float32 rounding (relative ~ √(fan-in)·2⁻²⁴ per layer), which is what PyTorch's default
/// precision gives.
/// </remarks>
public enum Precision
{
    /// <summary>float64 throughout (the default; every op of the engine).</summary>
    Float64,

    /// <summary>GEMMs and activations in float32 with float64 master weights (see the remarks).</summary>
    Float32,
}
