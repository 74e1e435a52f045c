using Vinfer.Autodiff;
using Vinfer.Tensors;
using Vinfer.Likelihoods;
using static Vinfer.Tests.Tensors.TensorTestData;

namespace Vinfer.Tests.Likelihoods;

/// <summary>The fused Poisson-log GLM against the unfused composition of tensor ops and finite differences.</summary>
public class PoissonLogGlmTests
{
    private static Tensor Counts(int seed, int n)
    {
        var rng = new System.Random(seed);
        var y = Tensor.Zeros(n);
        var s = y.Span;
        for (int i = 0; i < n; i++) s[i] = rng.Next(0, 7);
        return y;
    }

    private static Tensor Unfused(Tensor x, Tensor y, Tensor alpha, Tensor beta)
    {
        var logFactorial = (y + 1.0).LogGamma();
        if (beta.Rank == 1)
        {
            var eta = (x * beta).Sum(1) + alpha;
            return (y * eta - eta.Exp() - logFactorial).Sum();
        }
        var etaS = (x.Unsqueeze(2) * beta).Sum(1) + alpha;
        return (y.Unsqueeze(1) * etaS - etaS.Exp() - logFactorial.Unsqueeze(1)).Sum(0);
    }

    [Theory]
    [InlineData(13, 5, 1)]
    [InlineData(37, 19, 1)]
    [InlineData(21, 11, 16)]
    [InlineData(15, 9, 12)]
    [InlineData(10, 5, 32)]
    [InlineData(17, 9, 3)]
    public void MatchesUnfusedComposition(int n, int d, int s)
    {
        var x = Normal(1, n, d) * 0.3;
        var y = Counts(2, n);
        var alpha = s == 1 ? Tensor.Scalar(0.2) : Normal(3, s) * 0.3;
        var beta = s == 1 ? Normal(4, d) * 0.3 : Normal(4, d, s) * 0.3;
        var w = Uniform(99, 0.5, 1.5, s == 1 ? [] : [s]);
        Tensor[] Grads(Func<Tensor, Tensor, Tensor, Tensor, Tensor> f, out Tensor value)
        {
            var xp = Tensor.Parameter(x.Span, x.ShapeArray.ToArray());
            var ap = Tensor.Parameter(alpha.Span, alpha.ShapeArray.ToArray());
            var bp = Tensor.Parameter(beta.Span, beta.ShapeArray.ToArray());
            value = f(xp, y, ap, bp);
            (value * w).Sum().Backward();
            return [xp.Grad!, ap.Grad!, bp.Grad!];
        }
        var fg = Grads(Glm.PoissonLog, out var fv);
        var ug = Grads(Unfused, out var uv);
        Assert.Equal(uv.ShapeArray, fv.ShapeArray);
        for (int j = 0; j < uv.Count; j++) Assert.Equal(uv.Span[j], fv.Span[j], 1e-10 * Math.Max(1, Math.Abs(uv.Span[j])));
        for (int k = 0; k < 3; k++)
            for (int j = 0; j < ug[k].Count; j++)
                Assert.Equal(ug[k].Span[j], fg[k].Span[j], 1e-10 * Math.Max(1, Math.Abs(ug[k].Span[j])));
    }

    [Theory]
    [InlineData(11, 6, 1)]
    [InlineData(9, 5, 16)]
    public void GradientsMatchFiniteDifferences(int n, int d, int s)
    {
        var y = Counts(5, n);
        var inputs = new[] { Normal(6, n, d) * 0.3, s == 1 ? Tensor.Scalar(0.1) : Normal(7, s) * 0.3, s == 1 ? Normal(8, d) * 0.3 : Normal(8, d, s) * 0.3 };
        var r = GradientCheck.Check(t => Glm.PoissonLog(t[0], y, t[1], t[2]), inputs);
        Assert.True(r.Passed, r.ToString());
    }

    [Fact]
    public void BadCountsNameTheElement()
    {
        var x = Normal(30, 3, 2);
        var e = Assert.Throws<ArgumentException>(() => Glm.PoissonLog(x, Tensor.FromArray([0.0, 2.5, 1.0]), Tensor.Scalar(0), Normal(31, 2)));
        Assert.Contains("y[1] = 2.5", e.Message);
        e = Assert.Throws<ArgumentException>(() => Glm.PoissonLog(x, Tensor.FromArray([0.0, -1.0, 1.0]), Tensor.Scalar(0), Normal(31, 2)));
        Assert.Contains("y[1] = -1", e.Message);
    }
}
