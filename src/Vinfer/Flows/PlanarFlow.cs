using Vinfer.Tensors;

namespace Vinfer.Flows;

/// <summary>
/// The planar flow f(z) = z + û tanh(wᵀz + b) (Rezende and Mohamed, ICML 2015, §4.1) with
/// log|det J| = log|1 + ûᵀψ(z)|, ψ(z) = (1 − tanh²(wᵀz + b)) w, by the matrix determinant lemma. û is u moved
/// along w so that wᵀû = −1 + softplus(wᵀu) ≥ −1, which makes f invertible (their Appendix A.1). The inverse has no
/// closed form: along w it solves the monotone scalar equation wᵀy = a + wᵀû tanh(a + b) for a = wᵀz (bracketed
/// Newton), then z = y − û tanh(a + b); it is not differentiable (a sample's inverse comes from the cache).
/// </summary>
public sealed class PlanarFlow : Flow
{
    private readonly Tensor _w, _b, _uHat;

    /// <summary>A planar flow with parameters u [d], w [d] and b (a scalar tensor).</summary>
    public PlanarFlow(Tensor u, Tensor w, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(u);
        Dimension = u.Rank == 1 ? u.Dim(0) : throw new ArgumentException($"PlanarFlow: u must be a vector, got rank {u.Rank}.", nameof(u));
        _w = CheckShape(w, "PlanarFlow", nameof(w), Dimension);
        _b = CheckShape(b, "PlanarFlow", nameof(b));
        var wu = (w * u).Sum();
        var m = wu.Softplus() - 1.0;
        _uHat = u + (m - wu) * w / (w.Square().Sum() + 1e-12);
    }

    /// <inheritdoc/>
    public override int Dimension { get; }

    /// <summary>The constrained u (wᵀû ≥ −1).</summary>
    public Tensor UHat => _uHat;

    private Tensor Activation(Tensor z) => z.MatMul(_w.Unsqueeze(-1)).Squeeze(-1) + _b;

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor x) => x + Activation(x).Tanh().Unsqueeze(-1) * _uHat;

    /// <inheritdoc/>
    public override Tensor LogAbsDetJacobian(Tensor x, Tensor y)
    {
        var t = Activation(x).Tanh();
        var wu = (_w * _uHat).Sum();
        return ((1.0 - t.Square()) * wu + 1.0).Abs().Log();
    }

    /// <inheritdoc/>
    protected override Tensor InverseCore(Tensor y)
    {
        // a y on a gradient path would silently lose it here (sticking-the-landing and DReG re-score a guide's draw with
        // detached parameters through the inverse, and need ∂x/∂y): say so instead of returning a biased gradient
        if (GradMode.IsEnabled && y.RequiresGrad)
            throw new NotSupportedException(
                "PlanarFlow: the inverse is numeric (bracketed Newton) and not differentiable, so it cannot re-score a draw that carries a gradient " +
                "(sticking-the-landing and DReG evaluate log q at detached parameters through the inverse); fit planar flows with the reparameterized estimator.");
        using var _ = GradMode.Disable();
        var w = _w.ToArray();
        var u = _uHat.ToArray();
        double b = _b.Item(), wu = 0;
        for (int i = 0; i < Dimension; i++) wu += w[i] * u[i];
        var ys = y.Detach().ToArray();
        var x = new double[ys.Length];
        for (int row = 0; row < ys.Length / Dimension; row++)
        {
            var yr = ys.AsSpan(row * Dimension, Dimension);
            double target = 0;
            for (int i = 0; i < Dimension; i++) target += w[i] * yr[i];
            // g(a) = a + wu·tanh(a + b) − target is increasing (g' = 1 + wu(1 − tanh²) ≥ 0) and |g(a) − a + target| ≤ |wu|
            double lo = target - Math.Abs(wu) - 1, hi = target + Math.Abs(wu) + 1, a = target;
            for (int k = 0; k < 200; k++)
            {
                double th = Math.Tanh(a + b);
                double g = a + wu * th - target;
                if (g > 0) hi = a; else lo = a;
                double slope = 1 + wu * (1 - th * th);
                double next = a - g / slope;
                a = next > lo && next < hi && double.IsFinite(next) ? next : 0.5 * (lo + hi);
                if (Math.Abs(g) < 1e-14 * (1 + Math.Abs(target)) || hi - lo < 1e-15 * (1 + Math.Abs(a))) break;
            }
            double tanh = Math.Tanh(a + b);
            for (int i = 0; i < Dimension; i++) x[row * Dimension + i] = yr[i] - u[i] * tanh;
        }
        return Tensor.FromArray(x, y.ShapeArray);
    }
}
