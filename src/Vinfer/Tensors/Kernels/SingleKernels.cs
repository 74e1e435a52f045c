using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Vinfer.Tensors.Kernels;

/// <summary>
/// float32 span kernels of the float32 network precision (<c>Vinfer.Nn.Precision.Float32</c>): conversions between
/// the engine's float64 tensors and float32 work buffers, and the activations with their derivatives. Each has a
/// 512-bit, a 256-bit and a scalar branch chosen through <see cref="VectorPaths"/> (tests force each); tanh and the
/// logistic function use <see cref="TP"/>'s vectorized float32 kernels on the vector branches and
/// <see cref="MathF"/> on the scalar one. No kernel allocates.
/// </summary>
internal static class SingleKernels
{
    /// <summary>d[i] = (float)x[i] (round to nearest).</summary>
    public static void Narrow(ReadOnlySpan<double> x, Span<float> d)
    {
        Check(x.Length, d.Length, nameof(Narrow));
        int i = 0, n = x.Length;
        ref double xs = ref MemoryMarshal.GetReference(x);
        ref float ds = ref MemoryMarshal.GetReference(d);
        if (VectorPaths.Vector512Enabled)
            for (; i + 16 <= n; i += 16)
                Vector512.Narrow(Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref xs, (nuint)i + 8)).StoreUnsafe(ref ds, (nuint)i);
        else if (VectorPaths.Vector256Enabled)
            for (; i + 8 <= n; i += 8)
                Vector256.Narrow(Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256.LoadUnsafe(ref xs, (nuint)i + 4)).StoreUnsafe(ref ds, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref ds, i) = (float)Unsafe.Add(ref xs, i);
    }

    /// <summary>d[i] = (double)x[i] (exact).</summary>
    public static void Widen(ReadOnlySpan<float> x, Span<double> d)
    {
        Check(x.Length, d.Length, nameof(Widen));
        int i = 0, n = x.Length;
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref double ds = ref MemoryMarshal.GetReference(d);
        if (VectorPaths.Vector512Enabled)
            for (; i + 16 <= n; i += 16)
            {
                var (lower, upper) = Vector512.Widen(Vector512.LoadUnsafe(ref xs, (nuint)i));
                lower.StoreUnsafe(ref ds, (nuint)i);
                upper.StoreUnsafe(ref ds, (nuint)i + 8);
            }
        else if (VectorPaths.Vector256Enabled)
            for (; i + 8 <= n; i += 8)
            {
                var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref xs, (nuint)i));
                lower.StoreUnsafe(ref ds, (nuint)i);
                upper.StoreUnsafe(ref ds, (nuint)i + 4);
            }
        for (; i < n; i++) Unsafe.Add(ref ds, i) = Unsafe.Add(ref xs, i);
    }

    /// <summary>d[i] += (double)x[i]: float32 gradients accumulated into float64 ones.</summary>
    public static void AddWidened(ReadOnlySpan<float> x, Span<double> d)
    {
        Check(x.Length, d.Length, nameof(AddWidened));
        int i = 0, n = x.Length;
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref double ds = ref MemoryMarshal.GetReference(d);
        if (VectorPaths.Vector512Enabled)
            for (; i + 16 <= n; i += 16)
            {
                var (lower, upper) = Vector512.Widen(Vector512.LoadUnsafe(ref xs, (nuint)i));
                (Vector512.LoadUnsafe(ref ds, (nuint)i) + lower).StoreUnsafe(ref ds, (nuint)i);
                (Vector512.LoadUnsafe(ref ds, (nuint)i + 8) + upper).StoreUnsafe(ref ds, (nuint)i + 8);
            }
        else if (VectorPaths.Vector256Enabled)
            for (; i + 8 <= n; i += 8)
            {
                var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref xs, (nuint)i));
                (Vector256.LoadUnsafe(ref ds, (nuint)i) + lower).StoreUnsafe(ref ds, (nuint)i);
                (Vector256.LoadUnsafe(ref ds, (nuint)i + 4) + upper).StoreUnsafe(ref ds, (nuint)i + 4);
            }
        for (; i < n; i++) Unsafe.Add(ref ds, i) += Unsafe.Add(ref xs, i);
    }

    /// <summary>
    /// y = f(x) in place for an activation: <paramref name="kind"/> with its parameter (the leaky ReLU's slope,
    /// the ELU's α; ignored otherwise).
    /// </summary>
    public static void Activate(SingleActivation kind, float parameter, Span<float> y)
    {
        switch (kind)
        {
            case SingleActivation.Identity: return;
            case SingleActivation.Relu: LeakyRelu(y, 0f); return;
            case SingleActivation.LeakyRelu: LeakyRelu(y, parameter); return;
            case SingleActivation.Tanh:
                if (VectorPaths.VectorEnabled) TP.Tanh(y, y);
                else for (int i = 0; i < y.Length; i++) y[i] = MathF.Tanh(y[i]);
                return;
            case SingleActivation.Sigmoid:
                if (VectorPaths.VectorEnabled) TP.Sigmoid(y, y);
                else for (int i = 0; i < y.Length; i++) y[i] = Logistic(y[i]);
                return;
            case SingleActivation.Softplus:
                for (int i = 0; i < y.Length; i++) y[i] = Softplus(y[i]);
                return;
            case SingleActivation.Silu:
                for (int i = 0; i < y.Length; i++) y[i] *= Logistic(y[i]);
                return;
            case SingleActivation.Elu:
                for (int i = 0; i < y.Length; i++) if (y[i] <= 0f) y[i] = parameter * (float)SpecialFunctions.Expm1(y[i]);
                return;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "SingleKernels.Activate: unknown activation.");
        }
    }

    /// <summary>
    /// g ← g·f′ in place, given the activation's input <paramref name="x"/> (read by the leaky ReLU, ELU, softplus and
    /// SiLU; may be empty otherwise) and output <paramref name="y"/> (tanh, sigmoid and ReLU read only y: y &gt; 0 exactly
    /// when x &gt; 0).
    /// </summary>
    public static void Derivative(SingleActivation kind, float parameter, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> g)
    {
        switch (kind)
        {
            case SingleActivation.Identity: return;
            case SingleActivation.Relu: LeakyReluDerivative(y, g, 0f); return;
            case SingleActivation.LeakyRelu: LeakyReluDerivative(x, g, parameter); return;
            case SingleActivation.Tanh: TanhDerivative(y, g); return;
            case SingleActivation.Sigmoid:
                for (int i = 0; i < g.Length; i++) g[i] *= y[i] * (1f - y[i]);
                return;
            case SingleActivation.Softplus:
                for (int i = 0; i < g.Length; i++) g[i] *= Logistic(x[i]);
                return;
            case SingleActivation.Silu:
                for (int i = 0; i < g.Length; i++)
                {
                    float s = Logistic(x[i]);
                    g[i] *= s * (1f + x[i] * (1f - s));
                }
                return;
            case SingleActivation.Elu:
                for (int i = 0; i < g.Length; i++) if (!(x[i] > 0f)) g[i] *= y[i] + parameter;
                return;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "SingleKernels.Derivative: unknown activation.");
        }
    }

    /// <summary>
    /// y ← softmax(y) for one row in place, shifted by the row's maximum (a row of −∞ gives NaN, as in float64).
    /// </summary>
    public static void SoftmaxRow(Span<float> y)
    {
        if (y.IsEmpty) return;
        if (VectorPaths.VectorEnabled)
        {
            float max = TP.Max(y);
            if (float.IsNegativeInfinity(max)) { y.Fill(float.NaN); return; }
            TP.Subtract(y, max, y);
            TP.Exp(y, y);
            TP.Multiply(y, 1f / TP.Sum(y), y);
            return;
        }
        float m = float.NegativeInfinity;
        foreach (float v in y) m = MathF.Max(m, v);
        if (float.IsNegativeInfinity(m)) { y.Fill(float.NaN); return; }
        float sum = 0f;
        for (int i = 0; i < y.Length; i++) sum += y[i] = MathF.Exp(y[i] - m);
        float inverse = 1f / sum;
        for (int i = 0; i < y.Length; i++) y[i] *= inverse;
    }

    /// <summary>g ← scale·y ⊙ (g − Σ g ⊙ y) for one row in place (the softmax's vector-Jacobian product).</summary>
    public static void SoftmaxRowBackward(ReadOnlySpan<float> y, Span<float> g, float scale)
    {
        if (VectorPaths.VectorEnabled)
        {
            float dot = TP.Dot(g, y);
            TP.Subtract(g, dot, g);
            TP.Multiply(g, y, g);
            if (scale != 1f) TP.Multiply(g, scale, g);
            return;
        }
        float d = 0f;
        for (int i = 0; i < g.Length; i++) d += g[i] * y[i];
        for (int i = 0; i < g.Length; i++) g[i] = scale * y[i] * (g[i] - d);
    }

    /// <summary>
    /// The Bernoulli log-likelihood by logits summed over rows: sums[r] = Σ_j v_j·ℓ_j − softplus(ℓ_j) over row r of
    /// <paramref name="logits"/> [rows, width], with <paramref name="value"/> [valueRows, width] broadcast over the
    /// leading rows (logits row r reads value row r mod valueRows). softplus(ℓ) = max(ℓ, 0) + log1p(e^{−|ℓ|}) with
    /// log1p(e) = log(u) + (e − (u − 1))/u, u = 1 + e (exact in both tails, as the float64 kernel); each row's terms
    /// are summed in float32 chunks and the chunk sums in float64. Each term is evaluated as (v·ℓ − max(ℓ, 0)) −
    /// log1p(e^{−|ℓ|}), whose first difference is exact for binary v, so a well-predicted pixel (v = 1, ℓ ≫ 0) keeps
    /// its tiny log-probability −log1p(e^{−ℓ}) instead of cancelling to 0 (as PyTorch's
    /// <c>binary_cross_entropy_with_logits</c> orders it).
    /// </summary>
    public static void BernoulliLogProbRows(ReadOnlySpan<float> logits, ReadOnlySpan<float> value, int width, Span<double> sums)
    {
        if (width < 1 || logits.Length != sums.Length * width || value.Length % width != 0 || value.IsEmpty)
            throw new ArgumentException($"SingleKernels.BernoulliLogProbRows: logits {logits.Length}, value {value.Length}, width {width} and {sums.Length} rows do not match.");
        int valueRows = value.Length / width;
        const int Chunk = 256;
        Span<float> e = stackalloc float[Chunk];
        Span<float> u = stackalloc float[Chunk];
        Span<float> c = stackalloc float[Chunk];
        for (int r = 0; r < sums.Length; r++)
        {
            var row = logits.Slice(r * width, width);
            var v = value.Slice(r % valueRows * width, width);
            double sum = 0;
            if (!VectorPaths.VectorEnabled)
            {
                for (int j = 0; j < width; j++) sum += v[j] * row[j] - MathF.Max(row[j], 0f) - Log1pExpNegativeAbs(row[j]);
                sums[r] = sum;
                continue;
            }
            for (int start = 0; start < width; start += Chunk)
            {
                int n = Math.Min(Chunk, width - start);
                var ls = row.Slice(start, n); var es = e[..n]; var us = u[..n]; var cs = c[..n];
                TP.Abs(ls, es);
                TP.Negate(es, es);
                TP.Exp(es, es);
                TP.Add(es, 1f, us);
                TP.Subtract(us, 1f, cs);
                TP.Subtract(es, cs, cs);
                TP.Divide(cs, us, cs);
                TP.Log(us, us);
                TP.Add(us, cs, us);                     // log1p(e^{−|ℓ|})
                TP.Max(ls, 0f, es);
                TP.Multiply(v.Slice(start, n), ls, cs);
                TP.Subtract(cs, es, cs);                // v·ℓ − max(ℓ, 0), exact for binary v
                TP.Subtract(cs, us, cs);
                sum += TP.Sum<float>(cs);
            }
            sums[r] = sum;
        }
    }

    /// <summary>
    /// The gradient of <see cref="BernoulliLogProbRows"/> with respect to the logits: g[r, j] = rowGradients[r]·(v_j − σ(ℓ_j))
    /// (value broadcast over rows as there).
    /// </summary>
    public static void BernoulliLogProbRowsBackward(ReadOnlySpan<float> logits, ReadOnlySpan<float> value, int width, ReadOnlySpan<double> rowGradients, Span<float> g)
    {
        if (width < 1 || logits.Length != rowGradients.Length * width || g.Length != logits.Length || value.Length % width != 0 || value.IsEmpty)
            throw new ArgumentException($"SingleKernels.BernoulliLogProbRowsBackward: logits {logits.Length}, value {value.Length}, width {width}, gradient {g.Length} and {rowGradients.Length} rows do not match.");
        int valueRows = value.Length / width;
        for (int r = 0; r < rowGradients.Length; r++)
        {
            var row = logits.Slice(r * width, width);
            var v = value.Slice(r % valueRows * width, width);
            var d = g.Slice(r * width, width);
            float scale = (float)rowGradients[r];
            if (!VectorPaths.VectorEnabled)
            {
                for (int j = 0; j < width; j++) d[j] = scale * (v[j] - Logistic(row[j]));
                continue;
            }
            TP.Sigmoid(row, d);
            TP.Subtract(v, d, d);
            TP.Multiply(d, scale, d);
        }
    }

    /// <summary>Whether the activation's derivative needs its input x (otherwise the output y suffices).</summary>
    public static bool DerivativeNeedsInput(SingleActivation kind) =>
        kind is SingleActivation.Softplus or SingleActivation.Silu or SingleActivation.LeakyRelu or SingleActivation.Elu;

    private static void LeakyRelu(Span<float> y, float slope)
    {
        int i = 0, n = y.Length;
        ref float ys = ref MemoryMarshal.GetReference(y);
        if (VectorPaths.Vector512Enabled)
        {
            var s = Vector512.Create(slope);
            for (; i + 16 <= n; i += 16)
            {
                var v = Vector512.LoadUnsafe(ref ys, (nuint)i);
                Vector512.ConditionalSelect(Vector512.GreaterThan(v, Vector512<float>.Zero), v, v * s).StoreUnsafe(ref ys, (nuint)i);
            }
        }
        else if (VectorPaths.Vector256Enabled)
        {
            var s = Vector256.Create(slope);
            for (; i + 8 <= n; i += 8)
            {
                var v = Vector256.LoadUnsafe(ref ys, (nuint)i);
                Vector256.ConditionalSelect(Vector256.GreaterThan(v, Vector256<float>.Zero), v, v * s).StoreUnsafe(ref ys, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float v = Unsafe.Add(ref ys, i);
            Unsafe.Add(ref ys, i) = v > 0f ? v : v * slope;
        }
    }

    // g·f′ for max(x, 0) / leaky ReLU, testing the sign of v (the output for ReLU, the input for the leaky one)
    private static void LeakyReluDerivative(ReadOnlySpan<float> y, Span<float> g, float slope)
    {
        int i = 0, n = g.Length;
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float gs = ref MemoryMarshal.GetReference(g);
        if (VectorPaths.Vector512Enabled)
        {
            var s = Vector512.Create(slope);
            for (; i + 16 <= n; i += 16)
            {
                var v = Vector512.LoadUnsafe(ref gs, (nuint)i);
                var positive = Vector512.GreaterThan(Vector512.LoadUnsafe(ref ys, (nuint)i), Vector512<float>.Zero);
                Vector512.ConditionalSelect(positive, v, v * s).StoreUnsafe(ref gs, (nuint)i);
            }
        }
        else if (VectorPaths.Vector256Enabled)
        {
            var s = Vector256.Create(slope);
            for (; i + 8 <= n; i += 8)
            {
                var v = Vector256.LoadUnsafe(ref gs, (nuint)i);
                var positive = Vector256.GreaterThan(Vector256.LoadUnsafe(ref ys, (nuint)i), Vector256<float>.Zero);
                Vector256.ConditionalSelect(positive, v, v * s).StoreUnsafe(ref gs, (nuint)i);
            }
        }
        for (; i < n; i++)
            if (!(Unsafe.Add(ref ys, i) > 0f)) Unsafe.Add(ref gs, i) *= slope;
    }

    private static void TanhDerivative(ReadOnlySpan<float> y, Span<float> g)
    {
        int i = 0, n = g.Length;
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float gs = ref MemoryMarshal.GetReference(g);
        if (VectorPaths.Vector512Enabled)
            for (; i + 16 <= n; i += 16)
            {
                var v = Vector512.LoadUnsafe(ref ys, (nuint)i);
                (Vector512.LoadUnsafe(ref gs, (nuint)i) * (Vector512<float>.One - v * v)).StoreUnsafe(ref gs, (nuint)i);
            }
        else if (VectorPaths.Vector256Enabled)
            for (; i + 8 <= n; i += 8)
            {
                var v = Vector256.LoadUnsafe(ref ys, (nuint)i);
                (Vector256.LoadUnsafe(ref gs, (nuint)i) * (Vector256<float>.One - v * v)).StoreUnsafe(ref gs, (nuint)i);
            }
        for (; i < n; i++)
        {
            float v = Unsafe.Add(ref ys, i);
            Unsafe.Add(ref gs, i) *= 1f - v * v;
        }
    }

    private static float Logistic(float x) => x >= 0f ? 1f / (1f + MathF.Exp(-x)) : MathF.Exp(x) / (1f + MathF.Exp(x));

    // max(x, 0) + log1p(e^{−|x|}), the log1p in float64 (exact enough for a float32 result in both tails)
    private static float Log1pExpNegativeAbs(float x) => (float)SpecialFunctions.Log1p(Math.Exp(-Math.Abs((double)x)));

    private static float Softplus(float x) => MathF.Max(x, 0f) + (float)SpecialFunctions.Log1p(Math.Exp(-Math.Abs((double)x)));

    private static void Check(int source, int destination, string function)
    {
        if (source != destination)
            throw new ArgumentException($"SingleKernels.{function}: source length {source} differs from destination length {destination}.");
    }
}

/// <summary>The activations the float32 dense kernels fuse (each with the meaning of the Tensor op of that name).</summary>
internal enum SingleActivation
{
    /// <summary>No nonlinearity.</summary>
    Identity,
    /// <summary>max(x, 0).</summary>
    Relu,
    /// <summary>x for x &gt; 0, else slope·x.</summary>
    LeakyRelu,
    /// <summary>tanh x.</summary>
    Tanh,
    /// <summary>1/(1 + e⁻ˣ).</summary>
    Sigmoid,
    /// <summary>log(1 + eˣ).</summary>
    Softplus,
    /// <summary>x·σ(x).</summary>
    Silu,
    /// <summary>x for x &gt; 0, else α(eˣ − 1).</summary>
    Elu,
}
