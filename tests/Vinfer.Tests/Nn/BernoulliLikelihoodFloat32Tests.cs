using Vinfer.Modeling;
using Vinfer.Nn;
using Vinfer.Random;
using Vinfer.Tensors;
using Vinfer.Tensors.Kernels;
using Vinfer.Tests.Tensors.Kernels;

namespace Vinfer.Tests.Nn;

/// <summary>
/// <see cref="Mlp.BernoulliLogProb(Tensor, Tensor)"/>: Σ_j v_j·ℓ_j − softplus(ℓ_j) with ℓ the network's output. In
/// float64 it is the composite of the engine's ops (checked against them and by finite differences); in float32 the
/// logits stay in the network's float32 buffers and the likelihood and its gradient run there, which is checked
/// against float64 on the same parameters. Tolerance: the logits carry the dense stack's float32 error, at most
/// 16·u·Σ fan-in relative to their scale (see <see cref="SinglePrecisionTests"/>); a row sum of W terms, each of
/// magnitude at most |ℓ| + log 2 and with error at most |δℓ| (|v − σ| ≤ 1) plus a few units of roundoff of its own,
/// summed in float32 chunks (γ_W), is off by at most 16·u·(Σ fan-in + W)·Σ_j (|ℓ_j| + log 2). The gradients pass
/// through v − σ(ℓ) (bounded by 1, computed to a few u) and then the same dense backward pass: 16·u·(Σ fan-in + W)
/// relative to the largest gradient.
/// </summary>
public class BernoulliLikelihoodFloat32Tests
{
    private const double Unit = 1.0 / (1 << 24);

    [Fact]
    public void Float64PathIsTheCompositeOfTheEngineOps()
    {
        using var use = new ParamStore().Use();
        var net = new Mlp("dec", 5, [9], 13, Activation.Tanh, new RandomStream(3));
        var z = ModuleGradient.Uniform(1, -2, 2, 3, 4, 5);
        var x = Binary(2, 4, 13);
        var fused = net.BernoulliLogProb(z, x);
        var h = net.Forward(z);
        var composite = (x * h - h.Softplus()).Sum(-1);
        Assert.Equal([3, 4], fused.Shape.ToArray());
        for (int i = 0; i < composite.Count; i++) Assert.Equal(composite.Span[i], fused.Span[i], 1e-12);
    }

    [Fact]
    public void Float64PathPassesTheGradientCheck()
    {
        using var use = new ParamStore().Use();
        var net = new Mlp("dec", 4, [6], 7, Activation.Tanh, new RandomStream(4));
        var x = Binary(3, 2, 7);
        var result = ModuleGradient.Check(net, ModuleGradient.Uniform(5, -1, 1, 2, 2, 4), input => net.BernoulliLogProb(input, x));
        Assert.True(result.Passed, result.ToString());
    }

    [Theory]
    [InlineData("tanh", false)]
    [InlineData("relu", false)]
    [InlineData("tanh", true)]
    public void Float32MatchesFloat64InValueAndGradient(string activation, bool detachParameters) =>
        Compare(SinglePrecisionTests.Named(activation), detachParameters);

    [Fact]
    public void LikelihoodIsAccurateInBothTails()
    {
        // single terms at extreme logits against the float64 value of the same float32 logit, to a few units of roundoff
        // (exp, log, the log1p correction and one subtraction, each within 2u): the log1p correction keeps softplus(ℓ) = e^ℓ
        // accurate far in the left tail, where log(1 + e^ℓ) in float32 rounds to 0, and the exact v·ℓ − max(ℓ, 0) keeps
        // a well-predicted pixel's −log1p(e^{−ℓ}) from cancelling. The gradient v − σ(ℓ) cancels where σ rounds to v, so
        // it is held to a few u of the row's gradient scale (as in float64, where the same cancellation happens).
        float[] logits = [-80f, -30f, -20f, -1e-3f, 0f, 1e-3f, 20f, 30f, 80f]; // e^{−80} is still a normal float32
        foreach (float v in new[] { 0f, 1f })
            foreach (float l in logits)
            {
                var sums = new double[1];
                SingleKernels.BernoulliLogProbRows([l], [v], 1, sums);
                double exact = v * (double)l - Math.Max(l, 0) - SpecialFunctions.Log1p(Math.Exp(-Math.Abs((double)l)));
                Assert.True(Math.Abs(sums[0] - exact) <= 8 * Unit * Math.Abs(exact), $"v = {v}, ℓ = {l}: {sums[0]} against {exact}");
                var g = new float[1];
                SingleKernels.BernoulliLogProbRowsBackward([l], [v], 1, [2.0], g);
                double expectedGradient = 2 * (v - 1 / (1 + Math.Exp(-(double)l)));
                Assert.True(Math.Abs(g[0] - expectedGradient) <= 8 * Unit * 2, $"gradient at v = {v}, ℓ = {l}: {g[0]} against {expectedGradient}");
            }
    }

    [Fact]
    public void AValueThatTakesGradientsUsesTheFloat64Ops()
    {
        using var use = new ParamStore().Use();
        var net = new Mlp("dec", 3, [5], 6, Activation.Tanh, new RandomStream(7), precision: Precision.Float32);
        var z = ModuleGradient.Uniform(8, -1, 1, 2, 3);
        var v = Tensor.Parameter(ModuleGradient.Uniform(9, 0, 1, 2, 6).Span, 2, 6);
        net.BernoulliLogProb(z, v).Sum().Backward();
        // ∂/∂v Σ (v·ℓ − softplus ℓ) = ℓ
        var logits = net.Forward(z);
        for (int i = 0; i < logits.Count; i++) Assert.Equal(logits.Span[i], v.Grad!.Span[i], 1e-12);
    }

    [Fact]
    public void RejectsAValueOfAnotherWidth()
    {
        using var use = new ParamStore().Use();
        var net = new Mlp("dec", 3, [5], 6, precision: Precision.Float32);
        var e = Assert.Throws<ArgumentException>(() => net.BernoulliLogProb(Tensor.Zeros(2, 3), Tensor.Zeros(2, 7)));
        Assert.Contains("Mlp 'dec'", e.Message);
        Assert.Contains("[2, 7]", e.Message);
    }

    internal static void Compare(Activation activation, bool detachParameters = false)
    {
        const int width = 37;
        var store = new ParamStore();
        using var use = store.Use();
        var wide = new Mlp("dec", 11, [23, 17], width, activation, new RandomStream(21));
        var narrow = new Mlp("dec", 11, [23, 17], width, activation, new RandomStream(21), precision: Precision.Float32);
        var z = ModuleGradient.Uniform(8, -2, 2, 3, 5, 11);
        var x = Binary(4, 5, width); // broadcast over the 3 leading draws, as data against k samples
        var (value64, grads64) = Run(wide, z, x, store, detachParameters);
        var (value32, grads32) = Run(narrow, z, x, store, detachParameters);
        double tolerance = 16 * Unit * (11 + 23 + 17 + width);
        var logits = wide.Forward(z).Span;
        for (int r = 0; r < value64.Length; r++)
        {
            double scale = 0;
            for (int j = 0; j < width; j++) scale += Math.Abs(logits[r * width + j]) + Math.Log(2);
            Assert.True(Math.Abs(value64[r] - value32[r]) <= tolerance * scale, $"{activation.Name} row {r}: {value32[r]} against {value64[r]} (bound {tolerance * scale:g3})");
        }
        Assert.True(value64.Zip(value32).Any(p => p.First != p.Second), "float32 and float64 agree exactly, so the float32 path did not run");
        Assert.Equal(grads64.Keys.Order(), grads32.Keys.Order());
        Assert.Equal(detachParameters ? ["input"] : ["dec.0.bias", "dec.0.weight", "dec.1.bias", "dec.1.weight", "dec.2.bias", "dec.2.weight", "input"], grads64.Keys.Order());
        foreach (var (name, g64) in grads64)
        {
            double scale = g64.Max(Math.Abs), worst = 0;
            for (int i = 0; i < g64.Length; i++) worst = Math.Max(worst, Math.Abs(g64[i] - grads32[name][i]));
            Assert.True(scale > 0, $"gradient of {name} vanishes");
            Assert.True(worst <= tolerance * scale, $"{activation.Name} gradient of {name}: max |float32 − float64| = {worst:g3} exceeds {tolerance:g3} × {scale:g3}");
        }
    }

    private static (double[] Value, Dictionary<string, double[]> Gradients) Run(Mlp net, Tensor input, Tensor value, ParamStore store, bool detachParameters)
    {
        var z = Tensor.Parameter(input.Span, input.Shape.ToArray());
        net.ZeroGrad(store);
        var y = net.BernoulliLogProb(z, value, detachParameters);
        Assert.Equal(input.Shape[..^1].ToArray(), y.Shape.ToArray());
        var weights = ModuleGradient.Uniform(99, -1, 1, y.Shape.ToArray());
        (y * weights).Sum().Backward();
        var gradients = new Dictionary<string, double[]> { ["input"] = z.Grad!.ToArray() };
        foreach (var (name, leaf) in net.Parameters(store))
            if (leaf.Grad is { } g && g.Span.ToArray().Any(v => v != 0)) gradients[name] = g.ToArray();
        return (y.ToArray(), gradients);
    }

    private static Tensor Binary(int seed, params int[] shape)
    {
        var t = ModuleGradient.Uniform(seed, 0, 1, shape);
        foreach (ref double v in t.Span) v = v < 0.4 ? 1 : 0;
        return t;
    }
}

/// <summary>The fused float32 likelihood with its widest vector paths switched off (process-wide, so alone).</summary>
[Collection(nameof(VectorPathCollection))]
public class BernoulliLikelihoodFloat32VectorPathTests
{
    [Theory, InlineData(512), InlineData(256), InlineData(0)]
    public void Float32MatchesFloat64OnEveryVectorPath(int bits)
    {
        using var _ = VectorPaths.Restrict(bits);
        BernoulliLikelihoodFloat32Tests.Compare(Activation.Tanh);
    }
}
