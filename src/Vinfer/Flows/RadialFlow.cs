using Vinfer.Tensors;

namespace Vinfer.Flows;

/// <summary>
/// The radial flow f(z) = z + β h(α, r)(z − z₀), h = 1/(α + r), r = |z − z₀| (Rezende and Mohamed, ICML 2015,
/// §4.1) with log|det J| = (d − 1) log(1 + βh) + log(1 + βh + βh′r), h′ = −1/(α + r)². α = softplus(α̃) &gt; 0 and
/// β = −α + softplus(β̃) ≥ −α keep it invertible (their Appendix A.2). The inverse is closed-form: along the ray from
/// z₀ the radius solves r² + (α + β − ρ) r − αρ = 0 with ρ = |y − z₀|.
/// </summary>
public sealed class RadialFlow : Flow
{
    private readonly Tensor _centre, _alpha, _beta;

    /// <summary>A radial flow with centre z₀ [d] and unconstrained α̃, β̃ (scalar tensors).</summary>
    public RadialFlow(Tensor centre, Tensor rawAlpha, Tensor rawBeta)
    {
        ArgumentNullException.ThrowIfNull(centre);
        Dimension = centre.Rank == 1 ? centre.Dim(0) : throw new ArgumentException($"RadialFlow: the centre must be a vector, got rank {centre.Rank}.", nameof(centre));
        _centre = centre;
        _alpha = CheckShape(rawAlpha, "RadialFlow", nameof(rawAlpha)).Softplus();
        _beta = CheckShape(rawBeta, "RadialFlow", nameof(rawBeta)).Softplus() - _alpha;
    }

    /// <inheritdoc/>
    public override int Dimension { get; }

    private Tensor Radius(Tensor difference) => difference.Square().Sum(-1).Sqrt();

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor x)
    {
        var difference = x - _centre;
        var h = (Radius(difference) + _alpha).Reciprocal();
        return x + (h * _beta).Unsqueeze(-1) * difference;
    }

    /// <inheritdoc/>
    public override Tensor LogAbsDetJacobian(Tensor x, Tensor y)
    {
        var r = Radius(x - _centre);
        var h = (r + _alpha).Reciprocal();
        var betaH = h * _beta + 1.0;
        // 1 + βh + βh′r = 1 + βα/(α + r)²
        var last = h.Square() * (_beta * _alpha) + 1.0;
        return betaH.Abs().Log() * (Dimension - 1) + last.Abs().Log();
    }

    /// <inheritdoc/>
    protected override Tensor InverseCore(Tensor y)
    {
        var difference = y - _centre;
        var rho = Radius(difference);
        var c = _alpha + _beta - rho;
        var r = ((c.Square() + rho * _alpha * 4.0).Sqrt() - c) * 0.5;
        // y − z₀ = (1 + β/(α + r))(x − z₀)
        var scale = (_beta / (_alpha + r) + 1.0).Reciprocal();
        return _centre + scale.Unsqueeze(-1) * difference;
    }
}
