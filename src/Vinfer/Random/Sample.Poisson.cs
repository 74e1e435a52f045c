namespace Vinfer.Random;

public static partial class Sample
{
    /// <summary>Below this mean, inversion by sequential search; at or above, PTRS.</summary>
    internal const double PoissonInversionLimit = 10.0;

    private readonly struct PoissonSampler : IElementSampler
    {
        public static double Draw(ref ElementStream stream, double mean, double unused) =>
            mean < PoissonInversionLimit ? Inversion(ref stream, mean) : TransformedRejection(ref stream, mean);

        // Inversion by sequential search (Devroye 1986, §X.3.3): one uniform, about 1 + mean steps.
        private static double Inversion(ref ElementStream stream, double mean)
        {
            if (mean == 0) return 0;
            double u = stream.NextUniform();
            double probability = Math.Exp(-mean);
            double cumulative = probability;
            int k = 0;
            // The cap only guards against rounding leaving u above the computed total mass (~1e-16).
            while (u > cumulative && k < 1000)
            {
                k++;
                probability *= mean / k;
                cumulative += probability;
            }
            return k;
        }

        // PTRS, Hörmann, "The transformed rejection method for generating Poisson random variables",
        // Insurance: Mathematics and Economics 12(1), 1993: transformed rejection with squeeze, for mean ≥ 10.
        private static double TransformedRejection(ref ElementStream stream, double mean)
        {
            double sqrtMean = Math.Sqrt(mean);
            double logMean = Math.Log(mean);
            double b = 0.931 + 2.53 * sqrtMean;
            double a = -0.059 + 0.02483 * b;
            double inverseAlpha = 1.1239 + 1.1328 / (b - 3.4);
            double vr = 0.9277 - 3.6224 / (b - 2);
            while (true)
            {
                double u = stream.NextUniform() - 0.5;
                double v = stream.NextUniform();
                double us = 0.5 - Math.Abs(u);
                double k = Math.Floor((2 * a / us + b) * u + mean + 0.43);
                if (us >= 0.07 && v <= vr) return k;
                if (k < 0 || (us < 0.013 && v > us)) continue;
                double logAccept = Math.Log(v) + Math.Log(inverseAlpha) - Math.Log(a / (us * us) + b);
                if (logAccept <= -mean + k * logMean - LogFactorial(k)) return k;
            }
        }
    }

    /// <summary>log k! (table for k &lt; 64, Stirling's series with four correction terms beyond).</summary>
    internal static double LogFactorial(double k)
    {
        if (k < LogFactorialTable.Length) return LogFactorialTable[(int)k];
        // Stirling: log k! = log Γ(n), n = k + 1, = (n − ½) log n − n + ½ log 2π + 1/(12n) − 1/(360n³) + 1/(1260n⁵)
        // − 1/(1680n⁷); the first omitted term, 1/(1188n⁹), is below 1e-19 for n ≥ 65.
        double n = k + 1, inverse = 1 / n, inverse2 = inverse * inverse;
        return (n - 0.5) * Math.Log(n) - n + 0.91893853320467274178
            + inverse * (1.0 / 12 - inverse2 * (1.0 / 360 - inverse2 * (1.0 / 1260 - inverse2 / 1680)));
    }

    private static readonly double[] LogFactorialTable = BuildLogFactorialTable(64);

    private static double[] BuildLogFactorialTable(int length)
    {
        var table = new double[length];
        for (int k = 1; k < length; k++) table[k] = table[k - 1] + Math.Log(k);
        return table;
    }

    private const int PoissonCost = 8;

    /// <summary>
    /// Poisson(mean) counts (as doubles): inversion by sequential search for mean &lt; 10, Hörmann's PTRS (1993)
    /// for mean ≥ 10, each element on its own sub-stream. mean = 0 gives 0.
    /// </summary>
    public static unsafe void Poisson(RandomKey key, double mean, Span<double> destination)
    {
        SamplerArguments.NonNegative(nameof(Poisson), nameof(mean), mean);
        ElementFill.Fill<PoissonSampler>(key, Scalar(&mean), Scalar(&mean), destination, PoissonCost);
    }

    /// <summary>Poisson(mean[i]) counts per element.</summary>
    public static unsafe void Poisson(RandomKey key, ReadOnlySpan<double> mean, Span<double> destination)
    {
        SamplerArguments.SameLength(nameof(Poisson), nameof(mean), mean.Length, destination.Length);
        SamplerArguments.NonNegative(nameof(Poisson), nameof(mean), mean);
        fixed (double* meanPointer = mean)
            ElementFill.Fill<PoissonSampler>(key, PerElement(meanPointer), PerElement(meanPointer), destination, PoissonCost);
    }
}
