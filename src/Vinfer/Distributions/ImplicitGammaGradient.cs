using MathNet.Numerics;

namespace Vinfer.Distributions;

/// <summary>
/// The implicit reparameterization gradient of a standard gamma draw (Figurnov, Mohamed and Mnih, "Implicit
/// Reparameterization Gradients", NeurIPS 2018): with F(z; α) the regularized lower incomplete gamma function,
/// dz/dα = −(∂F/∂α)(z; α) / p(z; α). ∂F/∂α is taken by a fourth-order central difference of whichever of
/// P = F or Q = 1 − F is smaller (so the tails keep their relative accuracy), as TensorFlow Probability differentiates
/// the incomplete gamma numerically where its series do not apply.
/// </summary>
internal static class ImplicitGammaGradient
{
    /// <summary>dz/dα at a standard gamma draw z with concentration α.</summary>
    public static double DrawDerivative(double z, double alpha)
    {
        if (!(z > 0) || double.IsPositiveInfinity(z)) return 0;
        double logDensity = (alpha - 1) * Math.Log(z) - z - SpecialFunctions.GammaLn(alpha);
        bool lower = SpecialFunctions.GammaLowerRegularized(alpha, z) < 0.5;
        double h = 1e-3 * Math.Min(alpha, Math.Sqrt(alpha));
        double F(double a) => lower ? SpecialFunctions.GammaLowerRegularized(a, z) : -SpecialFunctions.GammaUpperRegularized(a, z);
        double dF = (F(alpha - 2 * h) - 8 * F(alpha - h) + 8 * F(alpha + h) - F(alpha + 2 * h)) / (12 * h);
        double r = -dF * Math.Exp(-logDensity);
        return double.IsFinite(r) ? r : 0;
    }
}
