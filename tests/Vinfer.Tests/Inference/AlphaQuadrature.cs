using Vinfer.Inference;

namespace Vinfer.Tests.Inference;

/// <summary>
/// Quadrature on a wide uniform grid (the trapezoid rule, spectrally accurate for smooth densities that vanish at the
/// ends) for the exact monotonic alpha updates: the tilted density ζ ∝ q^α p^{1−α} as weighted nodes, the exact
/// D_α(q‖p̄) with p̄ the normalized target, and the delta-method error of the self-normalized estimate of E_ζ[f].
/// </summary>
internal sealed class AlphaQuadrature
{
    public AlphaQuadrature(double low, double high, int nodes, Func<double, double> logTarget)
    {
        Step = (high - low) / (nodes - 1);
        Nodes = Enumerable.Range(0, nodes).Select(i => low + i * Step).ToArray();
        LogTarget = Nodes.Select(logTarget).ToArray();
        double max = LogTarget.Max();
        LogEvidence = max + Math.Log(LogTarget.Sum(v => Math.Exp(v - max)) * Step);
    }

    public double Step { get; }
    public double[] Nodes { get; }
    public double[] LogTarget { get; }
    public double LogEvidence { get; }

    public static double NormalLogDensity(double x, double mean, double variance) =>
        -0.5 * Math.Log(2 * Math.PI * variance) - 0.5 * (x - mean) * (x - mean) / variance;

    /// <summary>ζ ∝ q^α p^{1−α} at the nodes, normalized to weights summing to 1.</summary>
    public double[] Zeta(double[] logGuide, double alpha)
    {
        var log = new double[Nodes.Length];
        for (int i = 0; i < log.Length; i++) log[i] = alpha * logGuide[i] + (1 - alpha) * LogTarget[i];
        return AlphaMomentsWeights.Normalize(log);
    }

    /// <summary>D_α(q‖p̄) = (∫ q^α p̄^{1−α} − 1)/(α(α − 1)); α = 0 is KL(p̄‖q).</summary>
    public double Divergence(double[] logGuide, double alpha)
    {
        double s = 0;
        for (int i = 0; i < Nodes.Length; i++)
        {
            double logPbar = LogTarget[i] - LogEvidence;
            s += alpha == 0 ? Math.Exp(logPbar) * (logPbar - logGuide[i]) : Math.Exp(alpha * logGuide[i] + (1 - alpha) * logPbar);
        }
        s *= Step;
        return alpha == 0 ? s : (s - 1) / (alpha * (alpha - 1));
    }

    /// <summary>
    /// The self-normalized importance estimate of E_ζ[f] from n draws of q: its delta-method standard error
    /// sqrt(E_q[(ζ/q)²(f − E_ζf)²]/n) and the size of its leading O(1/n) bias, |E_q[(ζ/q)²(f − E_ζf)]|/n.
    /// </summary>
    public (double StandardError, double Bias) ImportanceError(double[] logGuide, double alpha, Func<double, double> f, int n)
    {
        var zeta = Zeta(logGuide, alpha); // node weights: ζ(x_i)·h
        double mean = 0;
        for (int i = 0; i < zeta.Length; i++) mean += zeta[i] * f(Nodes[i]);
        double second = 0, first = 0;
        for (int i = 0; i < zeta.Length; i++)
        {
            double q = Math.Exp(logGuide[i]);
            if (q == 0 || zeta[i] == 0) continue;
            double ratio = zeta[i] / Step / q; // ζ/q
            double c = f(Nodes[i]) - mean;
            second += zeta[i] * ratio * c * c; // ∫ ζ (ζ/q) c²
            first += zeta[i] * ratio * c;
        }
        return (Math.Sqrt(second / n), Math.Abs(first) / n);
    }
}
