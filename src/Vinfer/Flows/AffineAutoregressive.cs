using Vinfer.Distributions;
using Vinfer.Tensors;

namespace Vinfer.Flows;

/// <summary>
/// The affine autoregressive transform y_i = x_i·exp(s_i(x_&lt;i)) + μ_i(x_&lt;i) of inverse autoregressive flows
/// (Kingma et al., "Improved Variational Inference with Inverse Autoregressive Flow", NeurIPS 2016, eq. 10; Pyro's
/// <c>AffineAutoregressive</c>), with the conditioner a MADE network (Germain et al. 2015) returning
/// [..., d, 2] (shift, log-scale). Forward is one pass and log|det J| = Σ s: the IAF direction (cheap sampling and
/// cheap density of one's own samples). The inverse needs d passes (each fixes one more coordinate). Used through
/// its <see cref="Bijector.Inv"/>, it is a masked autoregressive flow (Papamakarios, Pavlakou and Murray, NeurIPS
/// 2017): one-pass density of any point, d-pass sampling.
/// </summary>
public sealed class AffineAutoregressive : Flow
{
    private readonly Conditioner _conditioner;

    /// <summary>An autoregressive transform of vectors of size <paramref name="dimension"/>.</summary>
    public AffineAutoregressive(int dimension, Conditioner conditioner)
    {
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension), $"AffineAutoregressive: the dimension must be at least 1, got {dimension}.");
        Dimension = dimension;
        _conditioner = conditioner ?? throw new ArgumentNullException(nameof(conditioner));
    }

    /// <inheritdoc/>
    public override int Dimension { get; }

    private (Tensor Shift, Tensor LogScale) Parameters(Tensor x)
    {
        var p = _conditioner(x);
        if (p.Rank < 2 || p.Dim(-1) != 2 || p.Dim(-2) != Dimension)
            throw new InvalidOperationException($"AffineAutoregressive: the conditioner must return [..., {Dimension}, 2], got [{string.Join(", ", p.ShapeArray)}].");
        return (p.Narrow(-1, 0, 1).Squeeze(-1), p.Narrow(-1, 1, 1).Squeeze(-1));
    }

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor x)
    {
        var (shift, logScale) = Parameters(x);
        return x * logScale.Exp() + shift;
    }

    /// <inheritdoc/>
    protected override Tensor InverseCore(Tensor y)
    {
        // after pass k the first k coordinates are exact, whatever the others were
        var x = Tensor.Zeros(y.ShapeArray);
        for (int k = 0; k < Dimension; k++)
        {
            var (shift, logScale) = Parameters(x);
            x = (y - shift) * logScale.Neg().Exp();
        }
        return x;
    }

    /// <inheritdoc/>
    public override Tensor LogAbsDetJacobian(Tensor x, Tensor y) => Parameters(x).LogScale.Sum(-1);
}
