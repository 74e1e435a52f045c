using System.Runtime.CompilerServices;
using Vinfer.Tensors.Kernels;

namespace Vinfer.Likelihoods;

/// <summary>
/// Bernoulli outcomes under the logit link: ℓ = yη − softplus(η), r = y − σ(η). Computed from e = exp(−|η|) ∈ (0, 1]
/// as softplus(η) = max(η, 0) + log1p(e) and σ(η) = 1/(1 + e) or e/(1 + e), so any |η| (±800 included) gives finite,
/// accurate values (Mächler, "Accurately computing log(1 − exp(−|a|))", Rmpfr vignette, 2012).
/// </summary>
internal readonly struct BernoulliLogitLink : IGlmLink
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Terms<TLanes>(TLanes eta, TLanes y, out TLanes ll, out TLanes r) where TLanes : struct, IDoubleLanes<TLanes>
    {
        var e = TLanes.Exp(-TLanes.Abs(eta));
        var u = TLanes.One + e;
        var inv = TLanes.One / u;
        // log1p(e) = log(u) − ((u − 1) − e)/u recovers the bits of e lost in rounding 1 + e (Goldberg 1991, Thm. 4).
        var log1p = TLanes.Log(u) - ((u - TLanes.One) - e) * inv;
        var softplus = TLanes.Max(eta, TLanes.Zero) + log1p;
        ll = TLanes.FusedMultiplyAdd(y, eta, -softplus);
        r = y - TLanes.SelectWhereNonNegative(eta, inv, e * inv);
    }
}
