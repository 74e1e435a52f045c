using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Vinfer.Conjugate;

/// <summary>
/// The local E-step of latent Dirichlet allocation for one document (Blei, Ng and Jordan 2003, §5.2; Hoffman, Blei
/// and Bach 2010, Algorithm 1): alternate φ_vk ∝ exp(E[log θ_k] + E[log β_kv]) and γ_k = α + Σ_v n_v φ_vk until γ
/// settles. φ is never stored: with a = exp(E[log θ]) and b_v = exp(E[log β_·v]), Σ_v n_v φ_vk = a_k Σ_v b_vk n_v / (a·b_v),
/// so a sweep is one dot product and one axpy of length K per distinct word, over word-major rows b_v. Both exponentials
/// are taken after subtracting their maxima (over topics), which cancel in φ: nothing underflows however small the
/// priors, and log Σ_k exp(E[log θ_k] + E[log β_kv]) = log(a·b_v) + the two shifts exactly.
/// </summary>
public static class DocumentTopicInference
{
    /// <summary>
    /// destination = exp(E[log θ] − m) for θ ~ Dir(<paramref name="concentration"/>), with m = max_k E[log θ_k], returned.
    /// </summary>
    public static double ShiftedExpectedProportions(ReadOnlySpan<double> concentration, Span<double> destination)
    {
        GammaFunctionSpans.Digamma(concentration, destination);
        double max = TensorPrimitives.Max(destination[..concentration.Length]);
        var d = destination[..concentration.Length];
        TensorPrimitives.Subtract(d, max, d);
        TensorPrimitives.Exp(d, d);
        return max - GammaFunctionSpans.Digamma(TensorPrimitives.Sum(concentration));
    }

    /// <summary>
    /// Runs the E-step of one document with distinct words <paramref name="words"/> and counts <paramref name="counts"/>,
    /// from γ = <paramref name="gamma"/> (overwritten with the final γ), until the mean absolute change of γ is below
    /// <paramref name="tolerance"/> or after <paramref name="maxIterations"/> sweeps. <paramref name="expTopicWord"/> is
    /// exp(E[log β] − c) word-major (V rows of K). On return <paramref name="expProportions"/> holds exp(E[log θ] − m)
    /// for the final γ, <paramref name="normalizers"/>[j] = a·b_{w_j} (so φ is optimal for the final γ), and the
    /// return value is the number of sweeps. <paramref name="work"/> needs K entries.
    /// </summary>
    public static int Infer(ReadOnlySpan<int> words, ReadOnlySpan<double> counts, ReadOnlySpan<double> expTopicWord, double alpha,
        Span<double> gamma, Span<double> expProportions, Span<double> normalizers, Span<double> work, double tolerance, int maxIterations,
        out double shift)
    {
        int topics = gamma.Length;
        var a = expProportions[..topics];
        var sums = work[..topics];
        shift = ShiftedExpectedProportions(gamma, a);
        int sweeps = 0;
        while (sweeps < maxIterations)
        {
            sweeps++;
            sums.Clear();
            Sweep(words, counts, expTopicWord, a, sums);
            double change = 0;
            for (int k = 0; k < topics; k++)
            {
                double g = alpha + a[k] * sums[k];
                change += Math.Abs(g - gamma[k]);
                gamma[k] = g;
            }
            shift = ShiftedExpectedProportions(gamma, a);
            if (change < tolerance * topics) break;
        }
        for (int j = 0; j < words.Length; j++) normalizers[j] = Dot(a, expTopicWord.Slice(words[j] * topics, topics));
        return sweeps;
    }

    /// <summary>
    /// sums += Σ_j (counts[j] / (a · b_j)) b_j over the document's rows b_j of <paramref name="table"/>: the dot product
    /// and the axpy of each row fused, four lanes at a time (K is small, so per-call overhead of span kernels would dominate).
    /// </summary>
    private static void Sweep(ReadOnlySpan<int> words, ReadOnlySpan<double> counts, ReadOnlySpan<double> table, ReadOnlySpan<double> a, Span<double> sums)
    {
        int topics = a.Length;
        if (!Vector256.IsHardwareAccelerated || topics < 4)
        {
            for (int j = 0; j < words.Length; j++)
            {
                var b = table.Slice(words[j] * topics, topics);
                TensorPrimitives.MultiplyAdd(b, counts[j] / TensorPrimitives.Dot(a, b), sums, sums);
            }
            return;
        }
        int vectorEnd = topics & ~3;
        ref double aRef = ref MemoryMarshal.GetReference(a);
        ref double sumsRef = ref MemoryMarshal.GetReference(sums);
        for (int j = 0; j < words.Length; j++)
        {
            var b = table.Slice(words[j] * topics, topics);
            ref double bRef = ref MemoryMarshal.GetReference(b);
            var accumulator = Vector256<double>.Zero;
            int k = 0;
            for (; k < vectorEnd; k += 4)
                accumulator += Vector256.LoadUnsafe(ref bRef, (nuint)k) * Vector256.LoadUnsafe(ref aRef, (nuint)k);
            double dot = Vector256.Sum(accumulator);
            for (; k < topics; k++) dot += b[k] * a[k];
            double ratio = counts[j] / dot;
            var r = Vector256.Create(ratio);
            for (k = 0; k < vectorEnd; k += 4)
                (Vector256.LoadUnsafe(ref sumsRef, (nuint)k) + Vector256.LoadUnsafe(ref bRef, (nuint)k) * r).StoreUnsafe(ref sumsRef, (nuint)k);
            for (; k < topics; k++) sums[k] += b[k] * ratio;
        }
    }

    /// <summary>a · b for short rows (K entries), four lanes at a time.</summary>
    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (!Vector256.IsHardwareAccelerated || a.Length < 4) return TensorPrimitives.Dot(a, b);
        int vectorEnd = a.Length & ~3, k = 0;
        ref double aRef = ref MemoryMarshal.GetReference(a);
        ref double bRef = ref MemoryMarshal.GetReference(b);
        var accumulator = Vector256<double>.Zero;
        for (; k < vectorEnd; k += 4)
            accumulator += Vector256.LoadUnsafe(ref aRef, (nuint)k) * Vector256.LoadUnsafe(ref bRef, (nuint)k);
        double dot = Vector256.Sum(accumulator);
        for (; k < a.Length; k++) dot += a[k] * b[k];
        return dot;
    }
}
