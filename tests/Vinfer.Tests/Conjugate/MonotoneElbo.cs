using Vinfer.Conjugate;
using Vinfer.Random;

namespace Vinfer.Tests.Conjugate;

/// <summary>Runs CAVI on a conjugate model and asserts that its closed-form ELBO never decreases, to round-off.</summary>
internal static class MonotoneElbo
{
    /// <summary><paramref name="steps"/> CAVI steps on <paramref name="model"/>; fails at the first decrease beyond 1e-10 relative.</summary>
    public static CoordinateAscent Check(IConjugateModel model, int steps)
    {
        var cavi = new CoordinateAscent(model);
        var random = new RandomStream(1);
        double previous = double.NegativeInfinity;
        for (int step = 0; step < steps; step++)
        {
            double elbo = cavi.Step(random);
            Assert.True(elbo >= previous - 1e-10 * Math.Abs(elbo), $"step {step}: ELBO {elbo:R} fell below {previous:R}");
            previous = elbo;
        }
        return cavi;
    }
}
