using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Vinfer.Likelihoods;

/// <summary>
/// Bernoulli outcomes under the logit link: ℓ = yη − softplus(η), r = y − σ(η). Computed from e = exp(−|η|) ∈ (0, 1]
/// as softplus(η) = max(η, 0) + log1p(e) and σ(η) = 1/(1 + e) or e/(1 + e), so any |η| (±800 included) gives finite,
/// accurate values (Mächler, "Accurately computing log(1 − exp(−|a|))", Rmpfr vignette, 2012).
/// </summary>
internal readonly struct BernoulliLogitLink : IGlmLink
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Terms(Vector512<double> eta, Vector512<double> y, out Vector512<double> ll, out Vector512<double> r)
    {
        var e = Vector512.Exp(-Vector512.Abs(eta));
        var u = Vector512<double>.One + e;
        var inv = Vector512<double>.One / u;
        // log1p(e) = log(u) − ((u − 1) − e)/u recovers the bits of e lost in rounding 1 + e (Goldberg 1991, Thm. 4).
        var log1p = Vector512.Log(u) - ((u - Vector512<double>.One) - e) * inv;
        var softplus = Vector512.Max(eta, Vector512<double>.Zero) + log1p;
        ll = Vector512.FusedMultiplyAdd(y, eta, -softplus);
        var sigma = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(eta, Vector512<double>.Zero), inv, e * inv);
        r = y - sigma;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Terms(double eta, double y, out double ll, out double r)
    {
        double e = Math.Exp(-Math.Abs(eta));
        double u = 1 + e;
        double inv = 1 / u;
        double log1p = Math.Log(u) - ((u - 1) - e) * inv;
        double softplus = Math.Max(eta, 0) + log1p;
        ll = Math.FusedMultiplyAdd(y, eta, -softplus);
        r = y - (eta >= 0 ? inv : e * inv);
    }
}
