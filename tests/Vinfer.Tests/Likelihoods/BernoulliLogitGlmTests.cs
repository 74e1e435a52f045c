using Vinfer.Autodiff;
using Vinfer.Tensors;
using Vinfer.Likelihoods;
using static Vinfer.Tests.Tensors.TensorTestData;

namespace Vinfer.Tests.Likelihoods;

/// <summary>
/// The fused Bernoulli-logit GLM against the unfused composition of tensor ops (η = α + Σ_d x_d β_d, then
/// y·η − softplus(η) summed over rows) and against central finite differences; extreme predictors; threading.
/// </summary>
public class BernoulliLogitGlmTests
{
    private static Tensor Outcomes(int seed, int n)
    {
        var rng = new System.Random(seed);
        var y = Tensor.Zeros(n);
        var s = y.Span;
        for (int i = 0; i < n; i++) s[i] = rng.NextDouble() < 0.4 ? 1 : 0;
        return y;
    }

    /// <summary>The same log-likelihood built from elementwise ops and reductions (two passes, many nodes).</summary>
    private static Tensor Unfused(Tensor x, Tensor y, Tensor alpha, Tensor beta)
    {
        if (beta.Rank == 1)
        {
            var eta = (x * beta).Sum(1) + alpha;                       // [N]
            return (y * eta - eta.Softplus()).Sum();
        }
        var etaS = (x.Unsqueeze(2) * beta).Sum(1) + alpha;            // [N, S]
        return (y.Unsqueeze(1) * etaS - etaS.Softplus()).Sum(0);      // [S]
    }

    private static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double rel, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= rel * Math.Max(1, Math.Abs(expected[i])),
                $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
    }

    private static (Tensor Value, Tensor[] Grads) Run(Func<Tensor, Tensor, Tensor, Tensor, Tensor> f,
        Tensor x, Tensor y, Tensor alpha, Tensor beta)
    {
        var xp = Tensor.Parameter(x.Span, x.ShapeArray.ToArray());
        var ap = Tensor.Parameter(alpha.Span, alpha.ShapeArray.ToArray());
        var bp = Tensor.Parameter(beta.Span, beta.ShapeArray.ToArray());
        var value = f(xp, y, ap, bp);
        // Contract with fixed weights so every output's vector-Jacobian product is exercised.
        var w = Uniform(99, 0.5, 1.5, value.ShapeArray.ToArray());
        (value * w).Sum().Backward();
        return (value.Detach().Clone(), [xp.Grad!, ap.Grad!, bp.Grad!]);
    }

    public static TheoryData<int, int, int, bool> Sizes => new()
    {
        { 13, 5, 1, false },   // S = 1: one block of 8 rows and a 5-row tail; D below one vector
        { 37, 19, 1, false },  // D = 2 vectors + 3-element tail
        { 21, 11, 16, false }, // S = 16: 5 blocks of 4 rows + 1 tail row
        { 17, 9, 3, false },   // general S
        { 10, 7, 16, true },   // shared scalar intercept
        { 9, 6, 24, false },   // S = 24: a block of 16 and one of 8 particles
        { 14, 6, 4, false },   // S = 4: padded to one block of 8
        { 11, 13, 8, false },  // S = 8: one block of 8, three row blocks and three tail rows
        { 15, 9, 12, false },  // S = 12: padded to a block of 16
        { 10, 5, 32, false },  // S = 32: two blocks of 16
        { 9, 4, 7, true },     // S = 7, shared intercept, padded
    };

    [Theory, MemberData(nameof(Sizes))]
    public void MatchesUnfusedComposition(int n, int d, int s, bool sharedAlpha)
    {
        var x = Normal(1, n, d);
        var y = Outcomes(2, n);
        var alpha = sharedAlpha ? Tensor.Scalar(0.3) : (s == 1 ? Tensor.Scalar(-0.2) : Normal(3, s));
        var beta = s == 1 ? Normal(4, d) * 0.5 : Normal(4, d, s) * 0.5;
        var (fv, fg) = Run(Glm.BernoulliLogit, x, y, alpha, beta);
        var (uv, ug) = Run(Unfused, x, y, alpha, beta);
        Assert.Equal(uv.ShapeArray, fv.ShapeArray);
        AssertClose(uv.Span, fv.Span, 1e-12, "value");
        AssertClose(ug[0].Span, fg[0].Span, 1e-12, "dX");
        AssertClose(ug[1].Span, fg[1].Span, 1e-12, "dalpha");
        AssertClose(ug[2].Span, fg[2].Span, 1e-12, "dbeta");
    }

    [Theory]
    [InlineData(11, 6, 1)]
    [InlineData(9, 5, 16)]
    [InlineData(7, 4, 2)]
    [InlineData(9, 3, 12)]
    public void GradientsMatchFiniteDifferences(int n, int d, int s)
    {
        var y = Outcomes(5, n);
        var inputs = new[] { Normal(6, n, d), s == 1 ? Tensor.Scalar(0.1) : Normal(7, s), s == 1 ? Normal(8, d) : Normal(8, d, s) };
        var r = GradientCheck.Check(t => Glm.BernoulliLogit(t[0], y, t[1], t[2]), inputs);
        Assert.True(r.Passed, r.ToString());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(3)]
    public void ExtremePredictorsGiveExactFiniteValues(int s)
    {
        // Rows with η = ±800 and both outcomes: log-likelihood terms 0 or −800, residuals 0 or ±1.
        const int n = 12, d = 2;
        var x = Tensor.Zeros(n, d);
        var y = Tensor.Zeros(n);
        for (int i = 0; i < n; i++)
        {
            x[i, 0] = (i % 2 == 0) ? 800 : -800;
            y[i] = (i / 2) % 2;
        }
        var beta = s == 1 ? Tensor.FromArray([1.0, 0.0]) : Tensor.Zeros(d, s) + 0.0;
        if (s > 1) for (int j = 0; j < s; j++) beta[0, j] = 1.0;
        var alpha = s == 1 ? Tensor.Scalar(0) : Tensor.Zeros(s);
        var (v, g) = Run(Glm.BernoulliLogit, x, y, alpha, beta);
        // Expected: y=1, η=+800 → 0; y=0, η=−800 → 0; y=0, η=+800 → −800; y=1, η=−800 → −800.
        double expected = 0, gradB0 = 0, gradA = 0;
        for (int i = 0; i < n; i++)
        {
            double eta = x[i, 0], yi = y[i];
            double sigma = eta > 0 ? 1 : 0;
            expected += yi * eta - Math.Max(eta, 0);
            gradB0 += (yi - sigma) * eta;
            gradA += yi - sigma;
        }
        var w = Uniform(99, 0.5, 1.5, v.ShapeArray.ToArray());
        for (int j = 0; j < s; j++)
        {
            Assert.Equal(expected, v.Span[j], 9);
            Assert.Equal(gradA * w.Span[j], g[1].Span[j], 9);
            Assert.Equal(gradB0 * w.Span[j], g[2].Span[j], 9);
        }
        // ∂/∂x_ij = Σ_s w_s (y_i − σ(η_is)) β_js: residual ±1 or 0 times Σ w on the first column, 0 on the second (β₁ = 0).
        double sumW = 0;
        for (int j = 0; j < s; j++) sumW += w.Span[j];
        for (int i = 0; i < n; i++)
        {
            double residual = y[i] - (x[i, 0] > 0 ? 1 : 0);
            Assert.Equal(residual * sumW, g[0][i, 0], 12);
            Assert.Equal(0.0, g[0][i, 1]);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(5)]
    [InlineData(32)]
    public void ResultsAreBitIdenticalForAnyThreadCount(int s)
    {
        // Several chunks of rows, so two threads really share the work.
        int n = 3 * Vinfer.Likelihoods.GlmKernel<Vinfer.Likelihoods.BernoulliLogitLink>.ChunkRows + 37, d = s == 1 ? 67 : 20;
        var x = Normal(10, n, d);
        var y = Outcomes(11, n);
        var alpha = s == 1 ? Tensor.Scalar(0.1) : Normal(12, s);
        var beta = (s == 1 ? Normal(13, d) : Normal(13, d, s)) * 0.3;
        int saved = Glm.MaxThreads;
        try
        {
            Glm.MaxThreads = 1;
            var (v1, g1) = Run(Glm.BernoulliLogit, x, y, alpha, beta);
            Glm.MaxThreads = Math.Min(2, Environment.ProcessorCount);
            Assert.True(Environment.ProcessorCount < 2 || Vinfer.Likelihoods.GlmKernel<Vinfer.Likelihoods.BernoulliLogitLink>.ThreadCount(n, d, s, 2) == 2);
            var (v2, g2) = Run(Glm.BernoulliLogit, x, y, alpha, beta);
            Assert.Equal(v1.ToArray(), v2.ToArray());
            Assert.Equal(g1[1].ToArray(), g2[1].ToArray());
            Assert.Equal(g1[2].ToArray(), g2[2].ToArray());
            var (uv, ug) = Run(Unfused, x, y, alpha, beta);
            AssertClose(uv.Span, v2.Span, 1e-11, "value vs unfused");
            AssertClose(ug[1].Span, g2[1].Span, 1e-11, "dalpha vs unfused");
            AssertClose(ug[2].Span, g2[2].Span, 1e-11, "dbeta vs unfused");
        }
        finally { Glm.MaxThreads = saved; }
    }

    [Fact]
    public void WithoutGradientsOnlyTheValueIsComputed()
    {
        var x = Normal(20, 10, 3);
        var y = Outcomes(21, 10);
        var beta = Normal(22, 3);
        var v = Glm.BernoulliLogit(x, y, Tensor.Scalar(0), beta);
        Assert.False(v.RequiresGrad);
        Assert.Equal(Unfused(x, y, Tensor.Scalar(0), beta).Item(), v.Item(), 12);
    }

    [Fact]
    public void BadInputsNameTheArgument()
    {
        var x = Normal(30, 4, 3);
        var beta = Normal(31, 3);
        var bad = Tensor.FromArray([0.0, 1.0, 0.5, 1.0]);
        var e = Assert.Throws<ArgumentException>(() => Glm.BernoulliLogit(x, bad, Tensor.Scalar(0), beta));
        Assert.Contains("y[2] = 0.5", e.Message);
        var y = Tensor.FromArray([0.0, 1.0, 0.0, 1.0]);
        e = Assert.Throws<ArgumentException>(() => Glm.BernoulliLogit(x, y, Tensor.Scalar(0), Normal(32, 4)));
        Assert.Contains("beta", e.Message);
        e = Assert.Throws<ArgumentException>(() => Glm.BernoulliLogit(x, y, Tensor.Zeros(3), Normal(33, 3, 2)));
        Assert.Contains("alpha", e.Message);
        e = Assert.Throws<ArgumentException>(() => Glm.BernoulliLogit(x, Tensor.FromArray([0.0, 1.0]), Tensor.Scalar(0), beta));
        Assert.Contains("y must have shape [4]", e.Message);
    }
}
