using System.Runtime.Intrinsics;
using Vinfer.Tensors.Kernels;

namespace Vinfer.Distributions;

/// <summary>
/// log Gamma(x | α, β) = α log β − log Γ(α) + (α − 1) log x − βx (rate parameterization), with partials
/// ∂/∂x = (α − 1)/x − β, ∂/∂α = log β − ψ(α) + log x, ∂/∂β = α/β − x, in one vectorized pass
/// (log Γ and ψ share their argument shift, see <see cref="GammaFunctionsVector"/>).
/// </summary>
internal readonly struct GammaLogDensityKernel : IFusedLogDensityKernel
{
    public static void Run(ReadOnlySpan<double> x, ReadOnlySpan<double> alpha, ReadOnlySpan<double> beta,
        Span<double> logp, Span<double> dx, Span<double> dalpha, Span<double> dbeta, bool withGradients)
    {
        int n = logp.Length, i = 0;
        if (VectorPaths.Vector256Enabled)
        {
            var one = Vector256<double>.One;
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var a = Vector256.Create(alpha.Slice(i));
                if (!GammaFunctionsVector.InDomain(a)) { Scalar(x, alpha, beta, logp, dx, dalpha, dbeta, withGradients, i, i + 4); continue; }
                var b = Vector256.Create(beta.Slice(i));
                var xi = Vector256.Create(x.Slice(i));
                GammaFunctionsVector.LogGammaDigamma(a, out var lg, out var dg);
                var logB = Vector256.Log(b);
                var logX = Vector256.Log(xi);
                var am1 = a - one;
                // (α − 1) log x is 0 at α = 1 even for x = 0 (xlogy convention).
                var term = Vector256.ConditionalSelect(Vector256.Equals(am1, Vector256<double>.Zero), Vector256<double>.Zero, am1 * logX);
                (a * logB - lg + term - b * xi).CopyTo(logp.Slice(i));
                if (withGradients)
                {
                    if (!dx.IsEmpty) (am1 / xi - b).CopyTo(dx.Slice(i));
                    if (!dalpha.IsEmpty) (logB - dg + logX).CopyTo(dalpha.Slice(i));
                    if (!dbeta.IsEmpty) (a / b - xi).CopyTo(dbeta.Slice(i));
                }
            }
        }
        Scalar(x, alpha, beta, logp, dx, dalpha, dbeta, withGradients, i, n);
    }

    private static void Scalar(ReadOnlySpan<double> x, ReadOnlySpan<double> alpha, ReadOnlySpan<double> beta,
        Span<double> logp, Span<double> dx, Span<double> dalpha, Span<double> dbeta, bool withGradients, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            double a = alpha[i], b = beta[i], xi = x[i];
            GammaFunctions.LogGammaDigamma(a, out double lg, out double dg);
            double logB = Math.Log(b), logX = Math.Log(xi);
            double am1 = a - 1;
            double term = am1 == 0 ? 0 : am1 * logX;
            logp[i] = a * logB - lg + term - b * xi;
            if (withGradients)
            {
                if (!dx.IsEmpty) dx[i] = am1 / xi - b;
                if (!dalpha.IsEmpty) dalpha[i] = logB - dg + logX;
                if (!dbeta.IsEmpty) dbeta[i] = a / b - xi;
            }
        }
    }
}
