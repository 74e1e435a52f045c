using Vinfer.Conjugate;

namespace Vinfer.Tests.Conjugate;

/// <summary>The span kernels of ψ and log Γ against MathNet's scalar functions, across vector lanes and the scalar tail.</summary>
public class GammaFunctionSpansTests
{
    [Fact]
    public void SpansMatchScalarReferences()
    {
        double[] x = [1e-6, 0.03, 0.5, 1.0, 1.5, 2.0, 3.7, 9.99, 10.0, 25.5, 1e3, 1e7, 0.2];
        var digamma = new double[x.Length];
        var logGamma = new double[x.Length];
        GammaFunctionSpans.Digamma(x, digamma);
        GammaFunctionSpans.LogGamma(x, logGamma);
        for (int i = 0; i < x.Length; i++)
        {
            double psi = MathNet.Numerics.SpecialFunctions.DiGamma(x[i]), lg = MathNet.Numerics.SpecialFunctions.GammaLn(x[i]);
            Assert.True(Math.Abs(digamma[i] - psi) <= 1e-12 * Math.Max(1, Math.Abs(psi)), $"ψ({x[i]}) = {digamma[i]}, reference {psi}");
            Assert.True(Math.Abs(logGamma[i] - lg) <= 1e-12 * Math.Max(1, Math.Abs(lg)), $"log Γ({x[i]}) = {logGamma[i]}, reference {lg}");
        }
        // log Γ_d and ψ_d against their definitions for d = 3.
        Assert.Equal(3 * 2 / 4.0 * Math.Log(Math.PI) + MathNet.Numerics.SpecialFunctions.GammaLn(2.5) + MathNet.Numerics.SpecialFunctions.GammaLn(2.0)
            + MathNet.Numerics.SpecialFunctions.GammaLn(1.5), GammaFunctionSpans.MultivariateLogGamma(2.5, 3), 12);
        Assert.Equal(MathNet.Numerics.SpecialFunctions.DiGamma(2.5) + MathNet.Numerics.SpecialFunctions.DiGamma(2.0)
            + MathNet.Numerics.SpecialFunctions.DiGamma(1.5), GammaFunctionSpans.MultivariateDigamma(2.5, 3), 12);
    }
}
