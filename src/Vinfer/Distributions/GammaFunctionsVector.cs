using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Vinfer.Distributions;

/// <summary>
/// The algorithm of <see cref="GammaFunctions.LogGammaDigamma"/> over four lanes at a time: the argument shift runs
/// a fixed ten masked steps (enough for any x &gt; 0 to reach 10), so every lane follows the same instructions.
/// Lanes that are not positive and finite are recomputed by the scalar path.
/// </summary>
internal static class GammaFunctionsVector
{
    private const double HalfLog2Pi = 0.91893853320467274178;

    /// <summary>True when every lane is a positive finite number (the vector path's domain).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool InDomain(Vector256<double> x) =>
        Vector256.GreaterThanAll(x, Vector256<double>.Zero) && Vector256.LessThanAll(x, Vector256.Create(double.PositiveInfinity));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LogGammaDigamma(Vector256<double> x, out Vector256<double> logGamma, out Vector256<double> digamma)
    {
        var ten = Vector256.Create(10.0);
        var one = Vector256<double>.One;
        var p = one;
        var dp = Vector256<double>.Zero;
        for (int k = 0; k < 10; k++)
        {
            var small = Vector256.LessThan(x, ten);
            if (small == Vector256<double>.Zero) break;
            dp = Vector256.ConditionalSelect(small, dp * x + p, dp);
            p = Vector256.ConditionalSelect(small, p * x, p);
            x = Vector256.ConditionalSelect(small, x + one, x);
        }
        var logShift = Vector256.Log(p);
        var shift = dp / p;
        var inv = one / x;
        var inv2 = inv * inv;
        var logX = Vector256.Log(x);
        var series = inv * (Vector256.Create(1.0 / 12) - inv2 * (Vector256.Create(1.0 / 360) - inv2 * (Vector256.Create(1.0 / 1260)
            - inv2 * (Vector256.Create(1.0 / 1680) - inv2 * (Vector256.Create(1.0 / 1188) - inv2 * Vector256.Create(691.0 / 360360))))));
        logGamma = (x - Vector256.Create(0.5)) * logX - x + Vector256.Create(HalfLog2Pi) + series - logShift;
        var dseries = inv2 * (Vector256.Create(1.0 / 12) - inv2 * (Vector256.Create(1.0 / 120) - inv2 * (Vector256.Create(1.0 / 252)
            - inv2 * (Vector256.Create(1.0 / 240) - inv2 * (Vector256.Create(1.0 / 132) - inv2 * Vector256.Create(691.0 / 32760))))));
        digamma = logX - Vector256.Create(0.5) * inv - dseries - shift;
    }
}
