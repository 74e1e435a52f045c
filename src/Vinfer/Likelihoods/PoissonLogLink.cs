using System.Runtime.CompilerServices;
using Vinfer.Tensors.Kernels;

namespace Vinfer.Likelihoods;

/// <summary>
/// Poisson counts under the log link, without the constant −log y!: ℓ = yη − e^η, r = y − e^η
/// (the caller adds −Σ log yᵢ! once). η above ~709 overflows e^η to +∞ and ℓ to −∞, which is the limit.
/// </summary>
internal readonly struct PoissonLogLink : IGlmLink
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Terms<TLanes>(TLanes eta, TLanes y, out TLanes ll, out TLanes r) where TLanes : struct, IDoubleLanes<TLanes>
    {
        var mean = TLanes.Exp(eta);
        ll = TLanes.FusedMultiplyAdd(y, eta, -mean);
        r = y - mean;
    }
}
