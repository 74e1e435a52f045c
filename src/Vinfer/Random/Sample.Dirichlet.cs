namespace Vinfer.Random;

public static partial class Sample
{
    /// <summary>
    /// Dirichlet(alpha) rows: destination holds rows of alpha.Length entries, each row an independent draw
    /// with the same concentration. Normalized Marsaglia–Tsang gammas (Devroye 1986, §XI.4), drawn in log space and
    /// normalized by a stable log-sum-exp, so tiny concentrations (1e-3) give valid simplex points, not 0/0.
    /// Entry (r, j) uses the sub-stream of element r·k + j.
    /// </summary>
    public static unsafe void Dirichlet(RandomKey key, ReadOnlySpan<double> alpha, Span<double> destination)
    {
        int categories = alpha.Length;
        CheckRows(nameof(Dirichlet), nameof(alpha), categories, destination.Length);
        SamplerArguments.Positive(nameof(Dirichlet), nameof(alpha), alpha);
        fixed (double* alphaPointer = alpha)
            FillDirichlet(key, new ParamView(alphaPointer, perElement: true), perRow: false, categories, destination);
    }

    /// <summary>
    /// Dirichlet rows with a concentration per row: alpha and destination both hold rows of
    /// <paramref name="categories"/> entries, row r of the destination drawn with row r of alpha.
    /// </summary>
    public static unsafe void Dirichlet(RandomKey key, ReadOnlySpan<double> alpha, int categories, Span<double> destination)
    {
        CheckRows(nameof(Dirichlet), nameof(destination), categories, destination.Length);
        SamplerArguments.SameLength(nameof(Dirichlet), nameof(alpha), alpha.Length, destination.Length);
        SamplerArguments.Positive(nameof(Dirichlet), nameof(alpha), alpha);
        fixed (double* alphaPointer = alpha)
            FillDirichlet(key, new ParamView(alphaPointer, perElement: true), perRow: true, categories, destination);
    }

    private static void CheckRows(string sampler, string argument, int categories, int length)
    {
        if (categories < 1)
            throw new ArgumentOutOfRangeException(argument, $"{sampler}: the number of categories must be >= 1, got {categories}");
        if (length % categories != 0)
            throw new ArgumentException(
                $"{sampler}: the destination length {length} is not a multiple of the number of categories {categories}", argument);
    }

    private static unsafe void FillDirichlet(RandomKey key, ParamView alpha, bool perRow, int categories, Span<double> destination)
    {
        fixed (double* output = destination)
        {
            long rows = destination.Length / categories;
            int cost = GammaCost * categories;
            if (!ParallelFill.IsWorthIt(rows, cost))
                DirichletRows(key, alpha, perRow, categories, output, 0, (int)rows);
            else
                DirichletInParallel(key, alpha, perRow, categories, (nint)output, rows, cost);
        }
    }

    private static unsafe void DirichletInParallel(RandomKey key, ParamView alpha, bool perRow, int categories, nint output, long rows, int cost) =>
        ParallelFill.Run(rows, cost, (start, count) => DirichletRows(key, alpha, perRow, categories, (double*)output, start, count));

    private static unsafe void DirichletRows(RandomKey key, ParamView alpha, bool perRow, int categories, double* output, long firstRow, int rowCount)
    {
        for (long row = firstRow; row < firstRow + rowCount; row++)
        {
            long offset = row * categories;
            double max = double.NegativeInfinity;
            for (int j = 0; j < categories; j++)
            {
                var stream = new ElementStream(key, offset + j);
                double logGamma = GammaDraw.Log(ref stream, alpha[perRow ? offset + j : j]);
                output[offset + j] = logGamma;
                if (logGamma > max) max = logGamma;
            }
            double sum = 0;
            for (int j = 0; j < categories; j++)
            {
                double weight = Math.Exp(output[offset + j] - max);
                output[offset + j] = weight;
                sum += weight;
            }
            double inverse = 1 / sum;
            for (int j = 0; j < categories; j++) output[offset + j] *= inverse;
        }
    }
}
