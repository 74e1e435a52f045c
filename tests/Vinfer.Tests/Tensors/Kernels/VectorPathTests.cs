using Vinfer.Optim;
using Vinfer.Tensors.Kernels;
using Vinfer.Tests.Distributions;
using Vinfer.Tests.Likelihoods;
using Xunit.Abstractions;

namespace Vinfer.Tests.Tensors.Kernels;

/// <summary>
/// <see cref="VectorPaths"/> is process-wide: the tests that lower it run alone, after the parallel ones.
/// </summary>
[CollectionDefinition(nameof(VectorPathCollection), DisableParallelization = true)]
public sealed class VectorPathCollection;

/// <summary>
/// Every hand-vectorized kernel run with its widest path switched off: the 256-bit path (on an AVX-512 machine) and
/// the scalar path (on any machine), through the same reference tests the default path passes. Kernels covered: the
/// managed GEMM (512- vs 256-bit register tile and packing), GEMV (dot products and column sweeps), the fused GLM
/// likelihoods (S = 1 rows and blocked particle tiles at 512 and 256 bits, with padding; the general axpy; also
/// GlmKernelPathTests against a scalar reference), the fused Normal/Gamma log-densities, the
/// Dirichlet log-density, and the optimizers' fused updates.
/// </summary>
[Collection(nameof(VectorPathCollection))]
public class VectorPathTests(ITestOutputHelper output)
{
    public static TheoryData<int> Widths => new() { 512, 256, 0 };

    [Theory, MemberData(nameof(Widths))]
    public void RestrictLowersTheWidthsAndDisposeRestoresThem(int bits)
    {
        var before = (VectorPaths.Vector512Enabled, VectorPaths.Vector256Enabled, VectorPaths.VectorEnabled);
        using (VectorPaths.Restrict(bits))
        {
            Assert.Equal(before.Item1 && bits >= 512, VectorPaths.Vector512Enabled);
            Assert.Equal(before.Item2 && bits >= 256, VectorPaths.Vector256Enabled);
            Assert.Equal(before.Item3 && bits >= 256, VectorPaths.VectorEnabled);
            // The GEMM has no scalar tile: below 512 bits it uses the 6×8 (256-bit) tile.
            Assert.Equal(VectorPaths.Vector512Enabled ? GemmMicroKernel.Mr512 : GemmMicroKernel.Mr256, ManagedGemm.Mr);
        }
        Assert.Equal(before, (VectorPaths.Vector512Enabled, VectorPaths.Vector256Enabled, VectorPaths.VectorEnabled));
        Assert.Throws<ArgumentOutOfRangeException>(() => VectorPaths.Restrict(128));
    }

    [Theory, MemberData(nameof(Widths))]
    public void ReluDerivativeSelectsTheGradientWhereTheInputIsPositive(int bits)
    {
        // the vector select of the ReLU's backward pass against its definition, at every length around the vector
        // widths (remainder loops), with zeros, signed zeros, NaN and infinities among the inputs
        using var _ = VectorPaths.Restrict(bits);
        var rng = new System.Random(bits + 3);
        double[] special = [0.0, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, -double.Epsilon];
        for (int n = 0; n <= 37; n++)
        {
            var x = new double[n]; var g = new double[n]; var d = new double[n];
            for (int i = 0; i < n; i++)
            {
                x[i] = rng.Next(4) == 0 ? special[rng.Next(special.Length)] : rng.NextDouble() * 2 - 1;
                g[i] = rng.NextDouble() * 2 - 1;
            }
            UnaryKernels.Relu.Apply(x, x, g, d);
            for (int i = 0; i < n; i++) Assert.Equal(x[i] > 0 ? g[i] : 0, d[i]);
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void GemmMatchesTheNaiveProduct(int bits)
    {
        using var _ = VectorPaths.Restrict(bits);
        var tests = new GemmTests(output);
        // Around the tiles (8×16 and 6×8), the k-block (256), the small/blocked switch, and a k-split.
        foreach (var (m, n, k) in new[] { (1, 7, 33), (7, 1, 130), (33, 130, 7), (130, 130, 130), (97, 61, 300), (257, 17, 513), (9, 300, 45) })
            tests.ManagedMatchesNaive(m, n, k);
    }

    [Theory, MemberData(nameof(Widths))]
    public void GemvMatchesTheNaiveProduct(int bits)
    {
        using var _ = VectorPaths.Restrict(bits);
        var tests = new GemvTests(output);
        foreach (var (m, n) in new[] { (1, 7), (7, 1), (33, 130), (130, 33), (5, 100), (1000, 37), (90, 6000) })
            tests.BothBackendsMatchNaive(m, n);
        tests.ManagedIsBitIdenticalForAnyThreadCount();
    }

    [Theory, MemberData(nameof(Widths))]
    public void GlmLikelihoodsMatchTheUnfusedComposition(int bits)
    {
        using var _ = VectorPaths.Restrict(bits);
        var bernoulli = new BernoulliLogitGlmTests();
        foreach (var (n, d, s, shared) in new[] { (13, 5, 1, false), (37, 19, 1, false), (21, 11, 16, false), (17, 9, 3, false), (10, 7, 16, true), (14, 6, 4, false), (11, 13, 8, false), (15, 9, 12, false), (9, 6, 24, false), (10, 5, 32, false) })
            bernoulli.MatchesUnfusedComposition(n, d, s, shared);
        bernoulli.GradientsMatchFiniteDifferences(11, 6, 1);
        bernoulli.GradientsMatchFiniteDifferences(9, 5, 16);
        foreach (int s in new[] { 1, 16, 3 }) bernoulli.ExtremePredictorsGiveExactFiniteValues(s);
        var poisson = new PoissonLogGlmTests();
        foreach (var (n, d, s) in new[] { (13, 5, 1), (37, 19, 1), (21, 11, 16), (17, 9, 3), (15, 9, 12), (10, 5, 32) }) poisson.MatchesUnfusedComposition(n, d, s);
        poisson.GradientsMatchFiniteDifferences(9, 5, 16);
    }

    [Theory, MemberData(nameof(Widths))]
    public void FusedLogDensitiesMatchTheirReferences(int bits)
    {
        using var _ = VectorPaths.Restrict(bits);
        var scalar = new ScalarContinuousTests();
        foreach (var name in new[] { "Normal", "LogNormal", "HalfNormal", "Gamma" })
        {
            scalar.LogProbMatchesReferenceOnRandomParametersAndTails(name);
            scalar.LogProbGradientInParametersAndValue(name);
        }
        new NormalTests().GradientsAccumulateAcrossBackwardPassesOnLargeInputs(); // the parallel chunks
        var dirichlet = new DirichletTests();
        dirichlet.LogProbMatchesClosedFormIncludingTails();
        dirichlet.LogProbGradient();
    }

    [Theory, MemberData(nameof(Widths))]
    public void OptimizerUpdatesMatchTheirScalarFormulas(int bits)
    {
        using var _ = VectorPaths.Restrict(bits);
        const int n = 13; // three vectors of four and a tail of one
        var rng = new System.Random(5);
        double[] R(double scale) => Enumerable.Range(0, n).Select(_ => scale * (2 * rng.NextDouble() - 1)).ToArray();
        var (g, p0, m0, v0) = (R(3), R(1), R(0.5), R(0.5).Select(Math.Abs).ToArray());

        // Expected values from the formulas in the doc comments, element by element, in the same operation order.
        var (p, m, v) = ((double[])p0.Clone(), (double[])m0.Clone(), (double[])v0.Clone());
        OptimizerMath.AdamUpdate(p, g, m, v, 0.9, 0.999, 0.01, 1.3, 1e-8, clip: 2.0);
        for (int i = 0; i < n; i++)
        {
            double gi = Math.Clamp(g[i], -2.0, 2.0), mi = m0[i] * 0.9 + (1 - 0.9) * gi, vi = v0[i] * 0.999 + (1 - 0.999) * gi * gi;
            Assert.Equal(mi, m[i]); Assert.Equal(vi, v[i]);
            Assert.Equal(p0[i] - 0.01 * (mi / (Math.Sqrt(vi) * 1.3 + 1e-8)), p[i]);
        }

        var (pa, s) = ((double[])p0.Clone(), (double[])v0.Clone());
        OptimizerMath.AdviUpdate(pa, g, s, 0.9, 0.1, 0.05, 1.0);
        for (int i = 0; i < n; i++)
        {
            double si = v0[i] * 0.9 + 0.1 * g[i] * g[i];
            Assert.Equal(si, s[i]);
            Assert.Equal(p0[i] - 0.05 * (g[i] / (1.0 + Math.Sqrt(si))), pa[i]);
        }

        var b = (double[])m0.Clone();
        OptimizerMath.MomentumUpdate(b, g, 0.9, 0.5);
        for (int i = 0; i < n; i++) Assert.Equal(m0[i] * 0.9 + 0.5 * g[i], b[i]);

        var sq = (double[])v0.Clone();
        OptimizerMath.AddSquares(sq, g);
        for (int i = 0; i < n; i++) Assert.Equal(v0[i] + g[i] * g[i], sq[i]);

        var ema = (double[])v0.Clone();
        OptimizerMath.EmaSquare(ema, g, 0.95);
        for (int i = 0; i < n; i++) Assert.Equal(v0[i] * 0.95 + (1 - 0.95) * g[i] * g[i], ema[i]);
    }
}
