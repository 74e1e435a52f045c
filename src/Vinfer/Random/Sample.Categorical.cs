using System.Buffers;

namespace Vinfer.Random;

public static partial class Sample
{
    /// <summary>
    /// Many draws from one categorical distribution: destination[i] ∈ [0, k) with probability proportional to
    /// probabilities[index]. Weights need not sum to 1 (they are normalized); zero-weight categories are never drawn.
    /// Inversion (Devroye 1986, §III.2) by binary search in the cumulative weights, one uniform per draw (element i of
    /// <see cref="Uniform(RandomKey, Span{double})"/> for the same key): O(k + n log k).
    /// </summary>
    public static unsafe void Categorical(RandomKey key, ReadOnlySpan<double> probabilities, Span<int> destination)
    {
        CheckWeights(nameof(Categorical), nameof(probabilities), probabilities, probabilities.Length);
        int categories = probabilities.Length;
        double[] cumulative = ArrayPool<double>.Shared.Rent(categories);
        try
        {
            double total = 0;
            for (int j = 0; j < categories; j++) cumulative[j] = total += probabilities[j];
            fixed (double* cumulativePointer = cumulative)
            fixed (int* output = destination)
            {
                long count = destination.Length;
                if (!ParallelFill.IsWorthIt(count, 2))
                    CategoricalDraws(key, cumulativePointer, categories, output, 0, (int)count);
                else
                    CategoricalInParallel(key, (nint)cumulativePointer, categories, (nint)output, count);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(cumulative);
        }
    }

    private static unsafe void CategoricalInParallel(RandomKey key, nint cumulative, int categories, nint output, long count) =>
        ParallelFill.Run(count, 2, (start, length) => CategoricalDraws(key, (double*)cumulative, categories, (int*)output, start, length));

    private static unsafe void CategoricalDraws(RandomKey key, double* cumulative, int categories, int* output, long start, int count)
    {
        double total = cumulative[categories - 1];
        Span<double> uniforms = stackalloc double[BlockTiles.TileElements];
        long end = start + count;
        for (long tile = start / BlockTiles.TileElements; tile * BlockTiles.TileElements < end; tile++)
        {
            BlockTiles.Compute(TileKind.Uniform, key, tile, uniforms);
            long tileStart = tile * BlockTiles.TileElements;
            long from = Math.Max(start, tileStart), to = Math.Min(end, tileStart + BlockTiles.TileElements);
            for (long i = from; i < to; i++)
            {
                double target = uniforms[(int)(i - tileStart)] * total;
                // First index whose cumulative weight exceeds the target: zero-weight categories share their
                // predecessor's cumulative value, so they can never be it.
                int low = 0, high = categories - 1;
                while (low < high)
                {
                    int middle = (low + high) >> 1;
                    if (cumulative[middle] > target) high = middle; else low = middle + 1;
                }
                output[i] = low;
            }
        }
    }

    /// <summary>
    /// One draw per row: probabilities holds rows of <paramref name="categories"/> weights (normalized per row),
    /// destination[r] is the draw for row r. Inversion by a linear scan; row r uses uniform element r.
    /// </summary>
    public static void Categorical(RandomKey key, ReadOnlySpan<double> probabilities, int categories, Span<int> destination)
    {
        CheckRowCount(nameof(Categorical), nameof(probabilities), probabilities.Length, categories, destination.Length);
        CheckWeights(nameof(Categorical), nameof(probabilities), probabilities, categories);
        for (int row = 0; row < destination.Length; row++)
        {
            var weights = probabilities.Slice(row * categories, categories);
            double total = 0;
            for (int j = 0; j < categories; j++) total += weights[j];
            double target = UniformElement(key, row) * total;
            double cumulative = 0;
            int chosen = -1;
            for (int j = 0; j < categories; j++)
            {
                if (weights[j] <= 0) continue;
                chosen = j;
                cumulative += weights[j];
                if (cumulative > target) break;
            }
            destination[row] = chosen;
        }
    }

    /// <summary>
    /// One draw per row from logits by the Gumbel-max trick (Gumbel 1954; Maddison, Tarlow and Minka 2014):
    /// argmax_j (logits[r, j] + G[r, j]), G standard Gumbel, entry (r, j) using Gumbel element r·k + j. Never
    /// normalizes, so logits of any magnitude work; −∞ logits mark impossible categories.
    /// </summary>
    public static void CategoricalFromLogits(RandomKey key, ReadOnlySpan<double> logits, int categories, Span<int> destination)
    {
        CheckRowCount(nameof(CategoricalFromLogits), nameof(logits), logits.Length, categories, destination.Length);
        CheckLogits(logits, categories);
        for (int row = 0; row < destination.Length; row++)
            destination[row] = GumbelArgmax(key, logits.Slice(row * categories, categories), (long)row * categories);
    }

    /// <summary>
    /// Many draws from one vector of logits by Gumbel-max: draw i uses Gumbel elements i·k … i·k + k − 1.
    /// O(n·k); for many draws from one large k prefer softmax then
    /// <see cref="Categorical(RandomKey, ReadOnlySpan{double}, Span{int})"/>.
    /// </summary>
    public static void CategoricalFromLogits(RandomKey key, ReadOnlySpan<double> logits, Span<int> destination)
    {
        CheckLogits(logits, logits.Length);
        int categories = logits.Length;
        for (int i = 0; i < destination.Length; i++)
            destination[i] = GumbelArgmax(key, logits, (long)i * categories);
    }

    private static int GumbelArgmax(RandomKey key, ReadOnlySpan<double> logits, long firstElement)
    {
        int best = -1;
        double bestValue = double.NegativeInfinity;
        for (int j = 0; j < logits.Length; j++)
        {
            if (double.IsNegativeInfinity(logits[j])) continue;
            double value = logits[j] - Math.Log(-Math.Log(UniformElement(key, firstElement + j)));
            if (best < 0 || value > bestValue)
            {
                best = j;
                bestValue = value;
            }
        }
        return best;
    }

    /// <summary>Element <paramref name="index"/> of <see cref="Uniform(RandomKey, Span{double})"/>, computed alone.</summary>
    internal static double UniformElement(RandomKey key, long index)
    {
        ulong block = (ulong)index >> 1;
        var bits = Philox4x32.Generate((uint)block, (uint)(block >> 32), 0, RandomKey.BlockDomain, key.K0, key.K1);
        return (index & 1) == 0 ? Philox4x32.ToOpenUnit(bits.X0, bits.X1) : Philox4x32.ToOpenUnit(bits.X2, bits.X3);
    }

    private static void CheckRowCount(string sampler, string argument, int length, int categories, int rows)
    {
        if (categories < 1)
            throw new ArgumentOutOfRangeException(nameof(categories), $"{sampler}: categories must be >= 1, got {categories}");
        if ((long)rows * categories != length)
            throw new ArgumentException(
                $"{sampler}: {argument} has length {length} but {rows} rows of {categories} categories need {(long)rows * categories}", argument);
    }

    private static void CheckWeights(string sampler, string argument, ReadOnlySpan<double> weights, int categories)
    {
        if (categories < 1)
            throw new ArgumentException($"{sampler}: {argument} must hold at least one category, got none", argument);
        for (int row = 0; row * categories < weights.Length; row++)
        {
            double total = 0;
            for (int j = 0; j < categories; j++)
            {
                int index = row * categories + j;
                double weight = weights[index];
                if (!(weight >= 0) || double.IsPositiveInfinity(weight))
                    throw new ArgumentOutOfRangeException(argument,
                        $"{sampler}: {argument}[{index}] must be >= 0 and finite, got {SamplerArguments.Show(weight)}");
                total += weight;
            }
            if (!(total > 0) || double.IsPositiveInfinity(total))
                throw new ArgumentOutOfRangeException(argument,
                    $"{sampler}: the weights of row {row} of {argument} must have a positive finite sum, got {SamplerArguments.Show(total)}");
        }
    }

    private static void CheckLogits(ReadOnlySpan<double> logits, int categories)
    {
        const string sampler = nameof(CategoricalFromLogits);
        if (categories < 1)
            throw new ArgumentException($"{sampler}: logits must hold at least one category, got none", nameof(logits));
        for (int row = 0; row * categories < logits.Length; row++)
        {
            bool anyPossible = false;
            for (int j = 0; j < categories; j++)
            {
                int index = row * categories + j;
                double logit = logits[index];
                if (double.IsNaN(logit) || double.IsPositiveInfinity(logit))
                    throw new ArgumentOutOfRangeException(nameof(logits),
                        $"{sampler}: logits[{index}] must be finite or -Infinity, got {SamplerArguments.Show(logit)}");
                anyPossible |= !double.IsNegativeInfinity(logit);
            }
            if (!anyPossible)
                throw new ArgumentOutOfRangeException(nameof(logits),
                    $"{sampler}: row {row} of logits has no finite entry, so no category is possible");
        }
    }
}
