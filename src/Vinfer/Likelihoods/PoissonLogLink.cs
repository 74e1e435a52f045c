using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Vinfer.Likelihoods;

/// <summary>
/// Poisson counts under the log link, without the constant −log y!: ℓ = yη − e^η, r = y − e^η
/// (the caller adds −Σ log yᵢ! once). η above ~709 overflows e^η to +∞ and ℓ to −∞, which is the limit.
/// </summary>
internal readonly struct PoissonLogLink : IGlmLink
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Terms(Vector512<double> eta, Vector512<double> y, out Vector512<double> ll, out Vector512<double> r)
    {
        var mean = Vector512.Exp(eta);
        ll = Vector512.FusedMultiplyAdd(y, eta, -mean);
        r = y - mean;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Terms(double eta, double y, out double ll, out double r)
    {
        double mean = Math.Exp(eta);
        ll = Math.FusedMultiplyAdd(y, eta, -mean);
        r = y - mean;
    }
}
