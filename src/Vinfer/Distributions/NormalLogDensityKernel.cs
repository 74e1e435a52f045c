using System.Runtime.Intrinsics;
using Vinfer.Tensors.Kernels;

namespace Vinfer.Distributions;

/// <summary>
/// log N(x | μ, σ) = −z²/2 − log σ − log(2π)/2 with z = (x − μ)/σ, and its partials
/// ∂/∂x = −z/σ, ∂/∂μ = z/σ, ∂/∂σ = (z² − 1)/σ, vectorized over 256-bit lanes.
/// </summary>
internal readonly struct NormalLogDensityKernel : IFusedLogDensityKernel
{
    public static void Run(ReadOnlySpan<double> x, ReadOnlySpan<double> mu, ReadOnlySpan<double> sigma,
        Span<double> logp, Span<double> dx, Span<double> dmu, Span<double> dsigma, bool withGradients)
    {
        int n = logp.Length, i = 0;
        var c = Vector256.Create(SpecialFunctions.HalfLog2Pi);
        var half = Vector256.Create(0.5);
        var one = Vector256.Create(1.0);
        if (VectorPaths.Vector256Enabled)
        {
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var s = Vector256.Create(sigma.Slice(i));
                var inv = one / s;
                var z = (Vector256.Create(x.Slice(i)) - Vector256.Create(mu.Slice(i))) * inv;
                var z2 = z * z;
                (-(half * z2) - Vector256.Log(s) - c).CopyTo(logp.Slice(i));
                if (withGradients)
                {
                    var zi = z * inv;
                    if (!dx.IsEmpty) (-zi).CopyTo(dx.Slice(i));
                    if (!dmu.IsEmpty) zi.CopyTo(dmu.Slice(i));
                    if (!dsigma.IsEmpty) ((z2 - one) * inv).CopyTo(dsigma.Slice(i));
                }
            }
        }
        for (; i < n; i++)
        {
            double inv = 1.0 / sigma[i];
            double z = (x[i] - mu[i]) * inv;
            logp[i] = -0.5 * z * z - Math.Log(sigma[i]) - SpecialFunctions.HalfLog2Pi;
            if (withGradients)
            {
                if (!dx.IsEmpty) dx[i] = -z * inv;
                if (!dmu.IsEmpty) dmu[i] = z * inv;
                if (!dsigma.IsEmpty) dsigma[i] = (z * z - 1) * inv;
            }
        }
    }
}
