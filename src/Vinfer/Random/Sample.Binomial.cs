namespace Vinfer.Random;

public static partial class Sample
{
    /// <summary>Below this n·min(p, 1 − p), inversion; at or above, BTRS.</summary>
    internal const double BinomialInversionLimit = 10.0;

    private readonly struct BinomialSampler : IElementSampler
    {
        public static double Draw(ref ElementStream stream, double trials, double probability)
        {
            if (trials == 0 || probability == 0) return 0;
            if (probability == 1) return trials;
            // Sample the rarer outcome and reflect, so both algorithms only see p ≤ ½.
            bool flip = probability > 0.5;
            double p = flip ? 1 - probability : probability;
            double k = trials * p < BinomialInversionLimit ? Inversion(ref stream, trials, p) : TransformedRejection(ref stream, trials, p);
            return flip ? trials - k : k;
        }

        // Inversion by sequential search with the pmf recurrence f(k + 1) = f(k)·((n + 1)/(k + 1) − 1)·p/q
        // (Kachitvichyanukul and Schmeiser, "Binomial random variate generation", CACM 31(2), 1988, BINV).
        private static double Inversion(ref ElementStream stream, double trials, double p)
        {
            double q = 1 - p;
            double ratio = p / q;
            double a = (trials + 1) * ratio;
            double mass = Math.Exp(trials * double.LogP1(-p));
            double u = stream.NextUniform();
            double k = 0;
            while (u > mass && k < trials)
            {
                u -= mass;
                k++;
                mass *= a / k - ratio;
            }
            return k;
        }

        // BTRS, Hörmann, "The generation of binomial random variates", J. Statist. Comput. Simul. 46, 1993:
        // transformed rejection with squeeze, for n·p ≥ 10 (p ≤ ½).
        private static double TransformedRejection(ref ElementStream stream, double trials, double p)
        {
            double q = 1 - p;
            double spq = Math.Sqrt(trials * p * q);
            double b = 1.15 + 2.53 * spq;
            double a = -0.0873 + 0.0248 * b + 0.01 * p;
            double c = trials * p + 0.5;
            double vr = 0.92 - 4.2 / b;
            double alpha = (2.83 + 5.1 / b) * spq;
            double logOdds = Math.Log(p / q);
            double mode = Math.Floor((trials + 1) * p);
            double h = LogFactorial(mode) + LogFactorial(trials - mode);
            while (true)
            {
                double u = stream.NextUniform() - 0.5;
                double v = stream.NextUniform();
                double us = 0.5 - Math.Abs(u);
                double k = Math.Floor((2 * a / us + b) * u + c);
                if (k < 0 || k > trials) continue;
                if (us >= 0.07 && v <= vr) return k;
                double logAccept = Math.Log(v * alpha / (a / (us * us) + b));
                if (logAccept <= h - LogFactorial(k) - LogFactorial(trials - k) + (k - mode) * logOdds) return k;
            }
        }
    }

    private const int BinomialCost = 8;

    /// <summary>Largest trial count accepted: beyond 2^53 counts are no longer exact doubles.</summary>
    private const double MaxTrials = 9007199254740992.0;

    /// <summary>
    /// Binomial(trials, probability) counts (as doubles): inversion for n·min(p, 1 − p) &lt; 10, Hörmann's BTRS (1993)
    /// otherwise, each element on its own sub-stream. trials must be a non-negative integer.
    /// </summary>
    public static unsafe void Binomial(RandomKey key, double trials, double probability, Span<double> destination)
    {
        CheckTrials(trials, -1);
        SamplerArguments.Probability(nameof(Binomial), nameof(probability), probability);
        ElementFill.Fill<BinomialSampler>(key, Scalar(&trials), Scalar(&probability), destination, BinomialCost);
    }

    /// <summary>Binomial(trials[i], probability[i]) counts per element.</summary>
    public static unsafe void Binomial(RandomKey key, ReadOnlySpan<double> trials, ReadOnlySpan<double> probability, Span<double> destination)
    {
        SamplerArguments.SameLength(nameof(Binomial), nameof(trials), trials.Length, destination.Length);
        SamplerArguments.SameLength(nameof(Binomial), nameof(probability), probability.Length, destination.Length);
        for (int i = 0; i < trials.Length; i++) CheckTrials(trials[i], i);
        SamplerArguments.Probability(nameof(Binomial), nameof(probability), probability);
        fixed (double* trialsPointer = trials, probabilityPointer = probability)
            ElementFill.Fill<BinomialSampler>(key, PerElement(trialsPointer), PerElement(probabilityPointer), destination, BinomialCost);
    }

    private static void CheckTrials(double trials, int index)
    {
        if (!(trials >= 0 && trials <= MaxTrials && trials == Math.Floor(trials)))
        {
            string name = index < 0 ? "trials" : $"trials[{index}]";
            throw new ArgumentOutOfRangeException(nameof(trials),
                $"Binomial: {name} must be a non-negative integer (at most 2^53), got {SamplerArguments.Show(trials)}");
        }
    }
}
