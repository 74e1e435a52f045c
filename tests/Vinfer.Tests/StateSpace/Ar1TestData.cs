using Vinfer.StateSpace;

namespace Vinfer.Tests.StateSpace;

internal static class Ar1TestData
{
    public static readonly Ar1NoiseModel Truth = new(0.88, 1.23, 1.34, 0.95);
    public const double X0 = 1.2;

    public static double[] Series(int length, int seed)
    {
        var x = new double[length];
        var y = new double[length];
        Truth.Simulate(X0, new System.Random(seed), x, y);
        return y;
    }

    /// <summary>Initial values drawn as in the study: ψ, ζ ~ N(0, 1), σ² ~ U[0.1, 10].</summary>
    public static Ar1NoiseModel RandomStart(System.Random random) => new(
        Ar1NoiseModel.StandardNormal(random), Ar1NoiseModel.StandardNormal(random),
        0.1 + 9.9 * random.NextDouble(), 0.1 + 9.9 * random.NextDouble());
}
