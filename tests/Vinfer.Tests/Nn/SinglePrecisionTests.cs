using Vinfer.Modeling;
using Vinfer.Nn;
using Vinfer.Optim;
using Vinfer.Random;
using Vinfer.Tensors;
using Vinfer.Tensors.Kernels;
using Vinfer.Tests.Tensors.Kernels;

namespace Vinfer.Tests.Nn;

/// <summary>
/// The float32 precision of <see cref="Linear"/> and <see cref="Mlp"/> against the float64 engine: the same parameters
/// (same names and seeds, one store) give values and gradients (input and every parameter) that agree within a
/// tolerance derived from float32's unit roundoff u = 2⁻²⁴. A length-n dot product carries at most γₙ ≈ n·u relative
/// error (Higham, Accuracy and Stability of Numerical Algorithms, §3.1); a value passes through every layer, so the
/// bound used is 16·u·Σ fan-in, relative to the largest magnitude of the float64 reference (the factor 16 covers the
/// rounding of inputs, weights and outputs and the activations' derivatives, all O(1)). The float64 gradients are
/// themselves checked against finite differences (MlpTests, LinearTests). Shapes avoid multiples of the vector widths
/// so that every kernel's remainder loop runs.
/// </summary>
public class SinglePrecisionTests
{
    private const double Unit = 1.0 / (1 << 24);

    public static TheoryData<string> Activations => new() { "relu", "tanh", "sigmoid", "softplus", "silu", "elu", "leaky_relu", "negative_leaky_relu" };

    internal static Activation Named(string name) => name switch
    {
        "relu" => Activation.Relu, "tanh" => Activation.Tanh, "sigmoid" => Activation.Sigmoid, "softplus" => Activation.Softplus,
        "silu" => Activation.Silu, "elu" => Activation.Elu(0.7), "leaky_relu" => Activation.LeakyRelu(0.1), _ => Activation.LeakyRelu(-0.3),
    };

    [Theory, MemberData(nameof(Activations))]
    public void MlpFloat32MatchesFloat64InValueAndGradient(string activation) => CompareMlp(Named(activation), outputActivation: Activation.Sigmoid);

    [Fact]
    public void LinearFloat32MatchesFloat64InValueAndGradient()
    {
        var store = new ParamStore();
        using var use = store.Use();
        var wide = new Linear("fc", 37, 21, random: new RandomStream(4));
        var narrow = new Linear("fc", 37, 21, random: new RandomStream(4), precision: Precision.Float32);
        var x = ModuleGradient.Uniform(5, -2, 2, 3, 5, 37);
        Compare(wide, narrow, x, store, 37);
        // without a bias, and with an input that needs no gradient (the backward pass stops at the first layer)
        var wideNoBias = new Linear("nb", 37, 21, bias: false, random: new RandomStream(4));
        var narrowNoBias = new Linear("nb", 37, 21, bias: false, random: new RandomStream(4), precision: Precision.Float32);
        Compare(wideNoBias, narrowNoBias, x, store, 37, inputGradient: false);
    }

    [Fact]
    public void Conv2dFloat32MatchesFloat64InValueAndGradient() => CompareConv2d();

    [Fact]
    public void SetAttentionBlockFloat32MatchesFloat64InValueAndGradient() => CompareSetAttention();

    internal static void CompareConv2d()
    {
        var store = new ParamStore();
        using var use = store.Use();
        // padded (the per-line im2col/col2im) and unpadded (the offset-table path), on a non-square image
        foreach (int padding in new[] { 1, 0 })
        {
            var wide = new Conv2d($"conv{padding}", 3, 5, 3, stride: 2, padding: padding, random: new RandomStream(6));
            var narrow = new Conv2d($"conv{padding}", 3, 5, 3, stride: 2, padding: padding, random: new RandomStream(6), precision: Precision.Float32);
            Compare(wide, narrow, ModuleGradient.Uniform(3, -1, 1, 2, 3, 9, 11), store, 3 * 3 * 3, label: $"conv padding {padding}");
        }
    }

    internal static void CompareSetAttention()
    {
        // the value passes through the projections (fan-in 12), the scores (head width 6), the softmax-weighted sum
        // (7 keys), the output projection and the feed-forward layer (12 each), two layer norms: Σ fan-in = 49
        var store = new ParamStore();
        using var use = store.Use();
        var wide = new SetAttentionBlock("sab", 12, 2, random: new RandomStream(8));
        var narrow = new SetAttentionBlock("sab", 12, 2, random: new RandomStream(8), precision: Precision.Float32);
        Compare(wide, narrow, ModuleGradient.Uniform(4, -2, 2, 2, 7, 12), store, 12 + 6 + 7 + 12 + 12, label: "sab");
    }

    [Fact]
    public void Float32MlpTrainsLikeFloat64()
    {
        // the sine fit of TrainingTests with the float32 network: same seed, steps and threshold
        const int n = 128;
        var x = Tensor.Zeros(n, 1); var y = Tensor.Zeros(n, 1);
        for (int i = 0; i < n; i++) { x[i, 0] = -3 + 6.0 * i / (n - 1); y[i, 0] = Math.Sin(x[i, 0]); }
        var net = new Mlp("sine", 1, [32, 32], 1, Activation.Tanh, new RandomStream(2026), precision: Precision.Float32);
        var adam = new Adam(0.01);
        double first = double.NaN, loss = double.NaN;
        using (new ParamStore().Use())
        {
            for (int step = 0; step < 1500; step++)
            {
                using var scope = new TensorScope();
                var l = (net.Forward(x) - y).Square().Mean();
                loss = l.Item();
                if (step == 0) first = loss;
                l.Backward();
                adam.Step(net.Parameters());
                net.ZeroGrad();
            }
        }
        Assert.True(first > 0.1, $"initial loss {first}");
        Assert.True(loss < 1e-3, $"final loss {loss}");
    }

    [Fact]
    public void UndefinedPrecisionIsRejectedWithTheValue()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Mlp("m", 2, [3], 1, precision: (Precision)7));
        Assert.Contains("Mlp 'm': precision 7", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new Linear("l", 2, 3, precision: (Precision)(-1)));
        Assert.Contains("Linear 'l': precision -1", e.Message);
    }

    [Fact]
    public void Float32GemmOnBothBackendsMatchesFloat64()
    {
        var rng = new System.Random(3);
        foreach (var (m, n, k) in new[] { (1, 1, 1), (7, 19, 33), (50, 37, 200), (3, 5, 0) })
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    foreach (float beta in new[] { 0f, 0.5f })
                        foreach (var backend in Blas.IsOpenBlasAvailable ? new[] { BlasBackend.Managed, BlasBackend.OpenBlas } : [BlasBackend.Managed])
                            CompareGemm(rng, backend, m, n, k, ta, tb, beta);
    }

    internal static void CompareGemm(System.Random rng, BlasBackend backend, int m, int n, int k, bool ta, bool tb, float beta)
    {
        float[] a = Random(rng, m * k), b = Random(rng, k * n), c = Random(rng, m * n);
        var expected = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                {
                    double t = (double)(ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                    s += t;
                }
                expected[i * n + j] = 1.5 * s + beta * (double)c[i * n + j];
            }
        var result = (float[])c.Clone();
        Blas.GemmUnchecked(backend, ta, tb, m, n, k, 1.5f, a, ta ? m : Math.Max(k, 1), b, tb ? Math.Max(k, 1) : n, beta, result, n, maxThreads: 2);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double scale = Math.Abs(beta * c[i * n + j]);
                for (int p = 0; p < k; p++) scale += Math.Abs((double)(ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]));
                // γ_(k+2) = (k + 2)·u bound on the float32 result, relative to the sum of the terms' magnitudes (twice, for the inputs' own rounding)
                double tolerance = 2 * (k + 2) * Unit * 1.5 * scale + 1e-30;
                Assert.True(Math.Abs(result[i * n + j] - expected[i * n + j]) <= tolerance,
                    $"{backend} m={m} n={n} k={k} ta={ta} tb={tb} beta={beta} ({i},{j}): {result[i * n + j]} vs {expected[i * n + j]} (tolerance {tolerance:g3})");
            }
    }

    private static float[] Random(System.Random rng, int length)
    {
        var v = new float[length];
        for (int i = 0; i < length; i++) v[i] = (float)(2 * rng.NextDouble() - 1);
        return v;
    }

    internal static void CompareMlp(Activation activation, Activation? outputActivation)
    {
        var store = new ParamStore();
        using var use = store.Use();
        var wide = new Mlp("mlp", 37, [33, 20], 19, activation, new RandomStream(21), outputActivation);
        var narrow = new Mlp("mlp", 37, [33, 20], 19, activation, new RandomStream(21), outputActivation, Precision.Float32);
        Compare(wide, narrow, ModuleGradient.Uniform(8, -2, 2, 2, 3, 37), store, 37 + 33 + 20, label: activation.Name);
    }

    /// <summary>Value and gradients of Σ c ⊙ module(x) in both precisions (the same store, so the same parameters).</summary>
    private static void Compare(Module wide, Module narrow, Tensor input, ParamStore store, int fanInSum, bool inputGradient = true, string label = "")
    {
        double tolerance = 16 * Unit * fanInSum;
        var (value64, grads64) = Run(wide, input, store, inputGradient);
        var (value32, grads32) = Run(narrow, input, store, inputGradient);
        AssertClose(value64, value32, tolerance, $"{label} value");
        // and not suspiciously exact: the float32 path must really round (else the float64 path ran)
        Assert.True(value64.Zip(value32).Any(p => p.First != p.Second), $"{label}: float32 and float64 values agree exactly, so the float32 path did not run");
        Assert.Equal(grads64.Count, grads32.Count);
        // A gradient that is zero in exact arithmetic (an attention key bias: softmax ignores a per-row shift) is float64
        // rounding noise, ~1e-16 of the module's gradients; its float32 error is measured on the module's gradient scale.
        double moduleScale = grads64.Values.Max(g => g.Max(Math.Abs));
        foreach (var (name, g64) in grads64)
            AssertClose(g64, grads32[name], tolerance, $"{label} gradient of {name}", g64.Max(Math.Abs) < 1e-9 * moduleScale ? moduleScale : null);
    }

    private static (double[] Value, Dictionary<string, double[]> Gradients) Run(Module module, Tensor input, ParamStore store, bool inputGradient)
    {
        var x = Tensor.Parameter(input.Span, input.Shape.ToArray());
        x.RequiresGrad = inputGradient;
        module.ZeroGrad(store);
        var y = module.Forward(x);
        var weights = ModuleGradient.Uniform(99, -1, 1, y.Shape.ToArray());
        (y * weights).Sum().Backward();
        var gradients = new Dictionary<string, double[]>();
        if (inputGradient) gradients["input"] = x.Grad!.ToArray();
        foreach (var (name, leaf) in module.Parameters(store)) gradients[name] = leaf.Grad!.ToArray();
        return (y.ToArray(), gradients);
    }

    private static void AssertClose(double[] expected, double[] actual, double relativeTolerance, string what, double? scaleOverride = null)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = scaleOverride ?? expected.Max(Math.Abs), worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        Assert.True(worst <= relativeTolerance * scale, $"{what}: max |float32 − float64| = {worst:g3} exceeds {relativeTolerance:g3} × {scale:g3}");
    }
}

/// <summary>The float32 kernels with their widest vector paths switched off (process-wide, so alone).</summary>
[Collection(nameof(VectorPathCollection))]
public class SinglePrecisionVectorPathTests
{
    public static TheoryData<int, string> WidthsAndActivations
    {
        get
        {
            var data = new TheoryData<int, string>();
            foreach (int bits in new[] { 512, 256, 0 })
                foreach (var a in new[] { "relu", "tanh", "sigmoid", "leaky_relu", "negative_leaky_relu" }) data.Add(bits, a);
            return data;
        }
    }

    [Theory, MemberData(nameof(WidthsAndActivations))]
    public void MlpFloat32MatchesFloat64OnEveryVectorPath(int bits, string activation)
    {
        using var _ = VectorPaths.Restrict(bits);
        SinglePrecisionTests.CompareMlp(SinglePrecisionTests.Named(activation), outputActivation: null);
    }

    [Theory, InlineData(512), InlineData(256), InlineData(0)]
    public void Conv2dAndAttentionFloat32MatchFloat64OnEveryVectorPath(int bits)
    {
        using var _ = VectorPaths.Restrict(bits);
        SinglePrecisionTests.CompareConv2d();
        SinglePrecisionTests.CompareSetAttention();
    }

    [Theory, InlineData(512), InlineData(256), InlineData(0)]
    public void ConversionsAreExactOrCorrectlyRoundedOnEveryVectorPath(int bits)
    {
        using var _ = VectorPaths.Restrict(bits);
        var rng = new System.Random(bits + 1);
        foreach (int n in new[] { 0, 1, 7, 8, 15, 16, 17, 37, 100 })
        {
            var x = new double[n];
            for (int i = 0; i < n; i++) x[i] = (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-30, 30));
            var narrow = new float[n];
            SingleKernels.Narrow(x, narrow);
            var wide = new double[n];
            SingleKernels.Widen(narrow, wide);
            var sum = (double[])x.Clone();
            SingleKernels.AddWidened(narrow, sum);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal((float)x[i], narrow[i]);
                Assert.Equal((double)narrow[i], wide[i]);
                Assert.Equal(x[i] + narrow[i], sum[i]);
            }
        }
        Assert.Throws<ArgumentException>(() => SingleKernels.Narrow(new double[3], new float[2]));
    }

    [Theory, InlineData(512), InlineData(256), InlineData(0)]
    public void Float32GemmMatchesFloat64OnEveryVectorPath(int bits)
    {
        using var _ = VectorPaths.Restrict(bits);
        var rng = new System.Random(7);
        foreach (var (m, n, k) in new[] { (9, 17, 33), (130, 20, 50) })
            SinglePrecisionTests.CompareGemm(rng, BlasBackend.Managed, m, n, k, false, true, 0f);
    }
}
