using Vinfer.Tensors;
using Vinfer.Distributions;
using Vinfer.Random;

namespace Vinfer.Tests.Distributions;

/// <summary>
/// Pathwise gradients of E[f(x)] through implicitly reparameterized samplers (Beta, InverseGamma, StudentT)
/// against the exact derivative and against a central finite difference of the Monte Carlo mean with common random
/// numbers; tolerances are 6 standard errors estimated from 8 independent batches.
/// </summary>
public class ImplicitReparameterizationTests
{
    private static (double Mean, double StandardError) Batched(Func<ulong, double> estimate)
    {
        const int batches = 8;
        var e = Enumerable.Range(0, batches).Select(b => estimate(1000 + (ulong)b)).ToArray();
        double m = e.Average(), v = e.Select(x => (x - m) * (x - m)).Sum() / (batches - 1);
        return (m, Math.Sqrt(v / batches));
    }

    private static void Check(string what, Func<Tensor, Distribution> make, double theta, Func<Tensor, Tensor> f, double exact)
    {
        const int n = 5000;
        var (grad, se) = Batched(seed =>
        {
            var p = Tensor.Parameter([theta]);
            f(make(p).RSample(new RandomStream(seed), n)).Mean().Backward();
            return p.Grad!.Span[0];
        });
        Assert.True(Math.Abs(grad - exact) <= 6 * se, $"{what}: pathwise {grad:G6} vs exact {exact:G6} (se {se:G3})");

        double h = 1e-3 * theta;
        var (fd, fdSe) = Batched(seed =>
        {
            using (GradMode.Disable())
            {
                double up = f(make(Tensor.Scalar(theta + h)).Sample(new RandomStream(seed), n)).Mean().Item();
                double down = f(make(Tensor.Scalar(theta - h)).Sample(new RandomStream(seed), n)).Mean().Item();
                return (up - down) / (2 * h);
            }
        });
        Assert.True(Math.Abs(grad - fd) <= 6 * Math.Sqrt(se * se + fdSe * fdSe), $"{what}: pathwise {grad:G6} vs CRN finite difference {fd:G6}");
    }

    [Fact]
    public void BetaMeanDerivatives()
    {
        // E[x] = a/(a + b): ∂/∂a = b/(a + b)², ∂/∂b = −a/(a + b)².
        Check("Beta ∂a", p => new Beta(p, Tensor.Scalar(2.5)), 0.8, x => x, 2.5 / (3.3 * 3.3));
        Check("Beta ∂b", p => new Beta(Tensor.Scalar(0.8), p), 2.5, x => x, -0.8 / (3.3 * 3.3));
    }

    [Fact]
    public void InverseGammaMeanDerivative() =>
        // E[x] = β/(α − 1): ∂/∂α = −β/(α − 1)².
        Check("InverseGamma ∂α", p => new InverseGamma(p, Tensor.Scalar(2.0)), 4.0, x => x, -2.0 / 9);

    [Fact]
    public void StudentTSecondMomentDerivative() =>
        // E[x²] = ν/(ν − 2) for loc 0, scale 1: ∂/∂ν = −2/(ν − 2)². (|x| is capped at 50 to bound the estimator's
        // variance; the mass beyond changes E[x²] by far less than the tolerance at ν = 7.)
        Check("StudentT ∂ν", p => new StudentT(p, Tensor.Scalar(0), Tensor.Scalar(1)), 7.0, x => x.Abs().Minimum(50).Square(), -2.0 / 25);
}
