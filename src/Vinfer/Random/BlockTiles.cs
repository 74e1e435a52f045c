using System.Numerics.Tensors;

namespace Vinfer.Random;

/// <summary>The fixed-size tiles of the block-based (non-rejection) samplers.</summary>
internal enum TileKind
{
    Uniform,
    Normal,
    Exponential,
    Gumbel,
}

/// <summary>How a range kernel turns a standard tile value x into the output, given parameters a and b.</summary>
internal enum TileTransform
{
    /// <summary>x itself.</summary>
    None,
    /// <summary>a + b·x (location and scale).</summary>
    Affine,
    /// <summary>a + (b − a)·x (uniform on [a, b)).</summary>
    Interval,
    /// <summary>x / a (exponential with rate a).</summary>
    Divide,
}

/// <summary>
/// Vectorized samplers that need a fixed number of uniforms per element: element e of a fill uses Philox block
/// ⌊e/2⌋ (counter (⌊e/2⌋, 0, BlockDomain)). Values are computed a whole tile of 128 elements at a time, aligned to
/// multiples of 128 in the global element index, so every element goes through the same vector code path
/// whatever the range asked for: a range's values equal those of the whole fill, bit for bit, which is what
/// makes partial and parallel fills agree with serial ones.
/// </summary>
internal static class BlockTiles
{
    internal const int TileElements = 128;
    private const int TileBlocks = TileElements / 2;

    /// <summary>Writes the 128 standard values of tile <paramref name="tile"/> into <paramref name="output"/>.</summary>
    internal static void Compute(TileKind kind, RandomKey key, long tile, Span<double> output)
    {
        Span<double> first = stackalloc double[TileBlocks];
        Span<double> second = stackalloc double[TileBlocks];
        long firstBlock = tile * TileBlocks;
        for (int j = 0; j < TileBlocks; j++)
            (first[j], second[j]) = UniformPair(key, firstBlock + j);
        switch (kind)
        {
            case TileKind.Normal:
                // Box–Muller (Box and Muller 1958): block j gives r·cos θ to element 2j and r·sin θ to 2j + 1,
                // r = √(−2 log u1), θ = 2π·u2. Exact in distribution, no rejection, vectorizes; the tails reach
                // |z| = 8.57, where the uniform's resolution ends (P(|Z| > 8.57) ≈ 1e-17).
                TensorPrimitives.Log(first, first);
                TensorPrimitives.Multiply(first, -2.0, first);
                TensorPrimitives.Sqrt(first, first);
                TensorPrimitives.Multiply(second, 2.0, second);
                Span<double> sin = stackalloc double[TileBlocks];
                Span<double> cos = stackalloc double[TileBlocks];
                TensorPrimitives.SinCosPi(second, sin, cos);
                TensorPrimitives.Multiply(sin, first, sin);
                TensorPrimitives.Multiply(cos, first, cos);
                for (int j = 0; j < TileBlocks; j++)
                {
                    output[2 * j] = cos[j];
                    output[2 * j + 1] = sin[j];
                }
                return;
            default:
                for (int j = 0; j < TileBlocks; j++)
                {
                    output[2 * j] = first[j];
                    output[2 * j + 1] = second[j];
                }
                if (kind == TileKind.Uniform) return;
                // Exponential: −log u (inversion). Gumbel: −log(−log u) (inversion).
                TensorPrimitives.Log(output, output);
                TensorPrimitives.Negate(output, output);
                if (kind == TileKind.Exponential) return;
                TensorPrimitives.Log(output, output);
                TensorPrimitives.Negate(output, output);
                return;
        }
    }

    /// <summary>
    /// The two open-unit uniforms of Philox block <paramref name="block"/>: elements 2·block and 2·block + 1 of
    /// <see cref="Sample.Uniform(RandomKey, Span{double})"/> with this key. Lets a caller that needs only some elements
    /// of a uniform fill compute just those, with the same values.
    /// </summary>
    internal static (double Even, double Odd) UniformPair(RandomKey key, long block)
    {
        var bits = Philox4x32.Generate((uint)block, (uint)((ulong)block >> 32), 0, RandomKey.BlockDomain, key.K0, key.K1);
        return (Philox4x32.ToOpenUnit(bits.X0, bits.X1), Philox4x32.ToOpenUnit(bits.X2, bits.X3));
    }

    /// <summary>Fills destination[start .. start + count) (global indices) with transformed tile values.</summary>
    internal static unsafe void FillRange(TileKind kind, TileTransform transform, RandomKey key,
        ParamView a, ParamView b, double* destination, long start, int count)
    {
        Span<double> tileValues = stackalloc double[TileElements];
        long end = start + count;
        for (long tile = start / TileElements; tile * TileElements < end; tile++)
        {
            Compute(kind, key, tile, tileValues);
            long tileStart = tile * TileElements;
            long from = Math.Max(start, tileStart), to = Math.Min(end, tileStart + TileElements);
            for (long e = from; e < to; e++)
            {
                double x = tileValues[(int)(e - tileStart)];
                destination[e] = transform switch
                {
                    TileTransform.None => x,
                    TileTransform.Affine => a[e] + b[e] * x,
                    TileTransform.Interval => a[e] + (b[e] - a[e]) * x,
                    _ => x / a[e],
                };
            }
        }
    }

    /// <summary>Fills the whole destination, in parallel chunks when it is large.</summary>
    internal static unsafe void Fill(TileKind kind, TileTransform transform, RandomKey key,
        ParamView a, ParamView b, Span<double> destination)
    {
        fixed (double* output = destination)
        {
            long count = destination.Length;
            if (!ParallelFill.IsWorthIt(count))
            {
                FillRange(kind, transform, key, a, b, output, 0, (int)count);
                return;
            }
            double* captured = output;
            FillInParallel(kind, transform, key, a, b, (nint)captured, count);
        }
    }

    // Separate method so the closure is only allocated on the parallel path.
    private static unsafe void FillInParallel(TileKind kind, TileTransform transform, RandomKey key,
        ParamView a, ParamView b, nint output, long count) =>
        ParallelFill.Run(count, 1, (start, length) =>
            FillRange(kind, transform, key, a, b, (double*)output, start, length));
}
