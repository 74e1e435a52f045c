using Vinfer.Tensors;

namespace Vinfer.Flows;

/// <summary>
/// Activation normalization (Kingma and Dhariwal, "Glow", NeurIPS 2018, §3.1): a per-coordinate affine map
/// y = x·exp(s) + t with log|det J| = Σ s. In a guide it starts as the identity (s = t = 0) and is learned; it lets
/// a stack rescale and shift coordinates whose posterior scales differ by orders of magnitude.
/// </summary>
public sealed class ActNorm : Flow
{
    private readonly Tensor _logScale, _shift;

    /// <summary>An ActNorm layer with log-scales s [d] and shifts t [d].</summary>
    public ActNorm(Tensor logScale, Tensor shift)
    {
        ArgumentNullException.ThrowIfNull(logScale);
        Dimension = logScale.Rank == 1 ? logScale.Dim(0) : throw new ArgumentException($"ActNorm: the log-scale must be a vector, got rank {logScale.Rank}.", nameof(logScale));
        _logScale = logScale;
        _shift = CheckShape(shift, "ActNorm", nameof(shift), Dimension);
    }

    /// <inheritdoc/>
    public override int Dimension { get; }

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor x) => x * _logScale.Exp() + _shift;

    /// <inheritdoc/>
    protected override Tensor InverseCore(Tensor y) => (y - _shift) * _logScale.Neg().Exp();

    /// <inheritdoc/>
    public override Tensor LogAbsDetJacobian(Tensor x, Tensor y) => _logScale.Sum().Expand(x.ShapeArray[..^1]);
}
