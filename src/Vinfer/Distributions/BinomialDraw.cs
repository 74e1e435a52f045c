using Vinfer.Random;

namespace Vinfer.Distributions;

/// <summary>
/// Exact binomial draws by the beta order-statistic recursion (Knuth, TAOCP vol. 2, §3.4.1 F; Devroye 1986, §X.4):
/// with i = ⌊(n+1)/2⌋ and Y ~ Beta(i, n + 1 − i) the i-th smallest of n uniforms, X = i + Bin(n − i, (p − Y)/(1 − Y))
/// when Y ≤ p, else Bin(i − 1, p/Y); below 16 trials, count Bernoulli uniforms. O(log n) gamma draws per element.
/// </summary>
internal static class BinomialDraw
{
    public static double Draw(ref ElementStream stream, double n, double p)
    {
        double successes = 0;
        long trials = (long)n;
        while (trials >= 16)
        {
            if (p <= 0) return successes;
            if (p >= 1) return successes + trials;
            long i = (trials + 1) / 2;
            double a = Vinfer.Random.GammaDraw.Standard(ref stream, i);
            double b = Vinfer.Random.GammaDraw.Standard(ref stream, trials + 1 - i);
            double y = a / (a + b);
            if (y <= p) { successes += i; trials -= i; p = (p - y) / (1 - y); }
            else { trials = i - 1; p /= y; }
        }
        for (long t = 0; t < trials; t++) if (stream.NextUniform() < p) successes++;
        return successes;
    }
}
