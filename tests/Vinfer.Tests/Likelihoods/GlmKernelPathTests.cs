using System.Runtime.Intrinsics;
using Vinfer.Likelihoods;
using Vinfer.Tensors.Kernels;
using Vinfer.Tests.Tensors.Kernels;
using Xunit.Abstractions;

namespace Vinfer.Tests.Likelihoods;

/// <summary>
/// <see cref="GlmKernel{TLink}"/> on each of its paths (512-bit blocked, 256-bit blocked, scalar rows), forced through
/// <see cref="VectorPaths.Restrict"/> on one machine, against a plain scalar reference written here (one row and one
/// particle at a time, Math.Exp/Log): the values and gradients within a rounding bound, and the gradients against
/// central finite differences of the reference. The shapes reach every branch of every path: S = 1 with D below a
/// vector, with 4–7 and 1–3 leftover columns; S = 4, 8, 12, 16, 24 (tiles of 2W and W particles); S = 2, 3, 7 and 9
/// (padded); row tails; several 2,048-row chunks.
/// </summary>
[Collection(nameof(VectorPathCollection))]
public class GlmKernelPathTests(ITestOutputHelper output)
{
    public static TheoryData<int> Widths => new() { 512, 256, 0 };

    private static readonly (int N, int D, int S)[] Shapes =
    [
        (13, 3, 1), (29, 8, 1), (37, 20, 1), (21, 13, 1), (19, 22, 1),
        (14, 6, 4), (11, 13, 8), (15, 9, 12), (21, 11, 16), (9, 6, 24),
        (17, 5, 2), (17, 9, 3), (10, 4, 7), (13, 7, 9),
        (2 * GlmKernel<BernoulliLogitLink>.ChunkRows + 13, 3, 8),
        (2 * GlmKernel<BernoulliLogitLink>.ChunkRows + 5, 5, 1),
    ];

    /// <summary>ℓ(y, η) and r = ∂ℓ/∂η and ∂r/∂η of one observation, by textbook formulas.</summary>
    private delegate (double Ll, double R, double DR) ReferenceTerm(double eta, double y);

    private static (double, double, double) BernoulliReference(double eta, double y)
    {
        double sigma = eta >= 0 ? 1 / (1 + Math.Exp(-eta)) : Math.Exp(eta) / (1 + Math.Exp(eta));
        double softplus = Math.Max(eta, 0) + Math.Log(1 + Math.Exp(-Math.Abs(eta)));
        return (y * eta - softplus, y - sigma, sigma * (1 - sigma));
    }

    private static (double, double, double) PoissonReference(double eta, double y) =>
        (y * eta - Math.Exp(eta), y - Math.Exp(eta), Math.Exp(eta));

    [Theory, MemberData(nameof(Widths))]
    public void BernoulliLogitMatchesTheScalarReferenceOnEveryPath(int bits) =>
        CheckAllShapes<BernoulliLogitLink>(bits, BernoulliReference, (rng, _) => rng.NextDouble() < 0.4 ? 1 : 0, betaScale: 0.8);

    [Theory, MemberData(nameof(Widths))]
    public void PoissonLogMatchesTheScalarReferenceOnEveryPath(int bits) =>
        CheckAllShapes<PoissonLogLink>(bits, PoissonReference, (rng, _) => rng.Next(6), betaScale: 0.25);

    private void CheckAllShapes<TLink>(int bits, ReferenceTerm reference, Func<System.Random, int, double> outcome, double betaScale)
        where TLink : struct, IGlmLink
    {
        using var _ = VectorPaths.Restrict(bits);
        // The path that runs is the one the width asks for, where the hardware has it.
        int expectedLanes = bits >= 512 && Vector512.IsHardwareAccelerated ? 8 : bits >= 256 && Vector256.IsHardwareAccelerated ? 4 : 0;
        Assert.Equal(expectedLanes, GlmKernel<TLink>.VectorLanes);
        output.WriteLine($"{bits} bits: blocked path of {GlmKernel<TLink>.VectorLanes} lanes (0: general rows)");
        foreach (var (n, d, s) in Shapes)
            CheckShape<TLink>(n, d, s, reference, outcome, betaScale, seed: n * 1000 + d * 10 + s);
    }

    private static void CheckShape<TLink>(int n, int d, int s, ReferenceTerm reference, Func<System.Random, int, double> outcome,
        double betaScale, int seed) where TLink : struct, IGlmLink
    {
        var rng = new System.Random(seed);
        var x = new double[n * d];
        var y = new double[n];
        var alpha = new double[s];
        var beta = new double[d * s];
        for (int i = 0; i < x.Length; i++) x[i] = 2 * rng.NextDouble() - 1;
        for (int i = 0; i < n; i++) y[i] = outcome(rng, i);
        for (int j = 0; j < s; j++) alpha[j] = 0.5 * (2 * rng.NextDouble() - 1);
        for (int i = 0; i < beta.Length; i++) beta[i] = betaScale * (2 * rng.NextDouble() - 1);

        var logLik = new double[s];
        var gradBeta = new double[d * s];
        var gradAlpha = new double[s];
        GlmKernel<TLink>.Evaluate(n, d, s, x, y, alpha, beta, logLik, gradBeta, gradAlpha, withGradient: true, maxThreads: 2);
        var valueOnly = new double[s];
        GlmKernel<TLink>.Evaluate(n, d, s, x, y, alpha, beta, valueOnly, [], [], withGradient: false, maxThreads: 2);

        string shape = $"N={n} D={d} S={s}";
        for (int j = 0; j < s; j++)
        {
            var (ll, gAlpha, gBeta, llBound, gAlphaBound, gBetaBound) = Reference(n, d, s, j, x, y, alpha, beta, reference);
            // Both sides sum N terms in different orders (blocks, chunks, lanes) from η summed over D in different
            // orders, with vector and scalar Exp/Log a few ulp apart: |error| ≤ 8·(N + D)·ε·Σ(magnitudes), the
            // magnitudes being |yη| + |ℓ| per term and |∂ℓ/∂η|·Σ|xβ| for the error carried in from η (Higham,
            // "Accuracy and Stability of Numerical Algorithms", 2002, §4.2).
            double unit = 8 * (n + d) * Math.Pow(2, -53);
            Assert.True(Math.Abs(ll - logLik[j]) <= unit * llBound, $"{shape}: ℓ[{j}] = {logLik[j]:R}, reference {ll:R}");
            Assert.Equal(logLik[j], valueOnly[j]);
            Assert.True(Math.Abs(gAlpha - gradAlpha[j]) <= unit * gAlphaBound, $"{shape}: ∂α[{j}] = {gradAlpha[j]:R}, reference {gAlpha:R}");
            for (int k = 0; k < d; k++)
                Assert.True(Math.Abs(gBeta[k] - gradBeta[k * s + j]) <= unit * gBetaBound[k],
                    $"{shape}: ∂β[{k}, {j}] = {gradBeta[k * s + j]:R}, reference {gBeta[k]:R}");

            // Central finite differences of the reference value: truncation h²·|ℓ'''|/6 and cancellation ε·|ℓ|/h,
            // both below 1e-7·(N + 1) at h = 1e-5 for |x| ≤ 1 and |η| ≤ 3; a wrong sign or a lost term is O(1).
            const double h = 1e-5;
            double fdTol = 1e-7 * (n + 1);
            double Fd(Action<double> set, double at)
            {
                set(at + h); double up = Reference(n, d, s, j, x, y, alpha, beta, reference).Ll;
                set(at - h); double down = Reference(n, d, s, j, x, y, alpha, beta, reference).Ll;
                set(at);
                return (up - down) / (2 * h);
            }
            double fdAlpha = Fd(v => alpha[j] = v, alpha[j]);
            Assert.True(Math.Abs(fdAlpha - gradAlpha[j]) <= fdTol, $"{shape}: ∂α[{j}] = {gradAlpha[j]:R}, finite difference {fdAlpha:R}");
            for (int k = 0; k < d; k++)
            {
                int at = k * s + j;
                double fd = Fd(v => beta[at] = v, beta[at]);
                Assert.True(Math.Abs(fd - gradBeta[at]) <= fdTol, $"{shape}: ∂β[{k}, {j}] = {gradBeta[at]:R}, finite difference {fd:R}");
            }
        }
    }

    /// <summary>
    /// Particle <paramref name="j"/>'s log-likelihood and gradient summed row by row, with the magnitudes that bound
    /// their rounding errors.
    /// </summary>
    private static (double Ll, double GAlpha, double[] GBeta, double LlBound, double GAlphaBound, double[] GBetaBound)
        Reference(int n, int d, int s, int j, double[] x, double[] y, double[] alpha, double[] beta, ReferenceTerm reference)
    {
        double ll = 0, gAlpha = 0, llBound = 0, gAlphaBound = 0;
        var gBeta = new double[d];
        var gBetaBound = new double[d];
        for (int i = 0; i < n; i++)
        {
            double eta = alpha[j], etaMagnitude = Math.Abs(alpha[j]);
            for (int k = 0; k < d; k++)
            {
                eta += x[i * d + k] * beta[k * s + j];
                etaMagnitude += Math.Abs(x[i * d + k] * beta[k * s + j]);
            }
            var (l, r, dr) = reference(eta, y[i]);
            ll += l;
            gAlpha += r;
            llBound += Math.Abs(y[i] * eta) + Math.Abs(l) + Math.Abs(r) * etaMagnitude;
            double rBound = Math.Abs(r) + Math.Abs(y[i]) + dr * etaMagnitude;
            gAlphaBound += rBound;
            for (int k = 0; k < d; k++)
            {
                gBeta[k] += r * x[i * d + k];
                gBetaBound[k] += Math.Abs(x[i * d + k]) * rBound;
            }
        }
        return (ll, gAlpha, gBeta, llBound, gAlphaBound, gBetaBound);
    }
}
