using Vinfer.Distributions;
using Vinfer.Tensors;

namespace Vinfer.Conjugate;

/// <summary>
/// Truncated stick-breaking (Dirichlet-process) mixture weights (Sethuraman 1994; Blei and Jordan, "Variational
/// inference for Dirichlet process mixtures", Bayesian Analysis 2006): K sticks v_k ~ Beta(1, γ) and
/// π_k = v_k Π_{j&lt;k} (1 − v_j). The variational factor keeps one Beta(a_k, b_k) per stick; as an exponential family
/// per stick T = (log v, log(1 − v)), η = (a − 1, b − 1), and an assignment to component k adds 1 to stick k's first
/// statistic and 1 to the second statistic of every stick before k. So the posterior is a_k = 1 + N_k,
/// b_k = γ + Σ_{j&gt;k} N_j, and E[log π_k] = E[log v_k] + Σ_{j&lt;k} E[log(1 − v_j)]. As in scikit-learn's
/// BayesianGaussianMixture, all K sticks are Beta (the mass past the K-th stick belongs to no component).
/// Natural-parameter layout: [a_1 − 1, b_1 − 1, …, a_K − 1, b_K − 1]. KL through the registry (Beta ‖ Beta).
/// </summary>
public sealed class StickBreakingWeights
{
    private readonly double[] _first;
    private readonly double[] _second;

    /// <summary>The sticks Beta(a_k, b_k).</summary>
    public StickBreakingWeights(ReadOnlySpan<double> first, ReadOnlySpan<double> second)
    {
        if (first.Length < 1 || first.Length != second.Length) throw new ArgumentException($"need as many a's as b's (got {first.Length} and {second.Length}), at least one.", nameof(second));
        for (int k = 0; k < first.Length; k++)
            if (!(first[k] > 0 && second[k] > 0) || double.IsInfinity(first[k]) || double.IsInfinity(second[k]))
                throw new ArgumentOutOfRangeException(nameof(first), $"stick {k}: Beta({first[k]}, {second[k]}) needs finite positive parameters.");
        _first = first.ToArray();
        _second = second.ToArray();
    }

    /// <summary>The prior: K sticks Beta(1, γ).</summary>
    public static StickBreakingWeights Prior(int components, double concentration)
    {
        var a = new double[components]; var b = new double[components];
        Array.Fill(a, 1.0); Array.Fill(b, concentration);
        return new StickBreakingWeights(a, b);
    }

    /// <summary>From natural parameters [a_k − 1, b_k − 1]_k.</summary>
    public static StickBreakingWeights FromNatural(ReadOnlySpan<double> natural)
    {
        int k = natural.Length / 2;
        var a = new double[k]; var b = new double[k];
        for (int i = 0; i < k; i++) { a[i] = natural[2 * i] + 1; b[i] = natural[2 * i + 1] + 1; }
        return new StickBreakingWeights(a, b);
    }

    /// <summary>The number of sticks (components), K.</summary>
    public int Components => _first.Length;

    /// <summary>Writes the natural parameters [a_k − 1, b_k − 1]_k.</summary>
    public void NaturalParameters(Span<double> destination)
    {
        for (int k = 0; k < Components; k++) { destination[2 * k] = _first[k] - 1; destination[2 * k + 1] = _second[k] - 1; }
    }

    /// <summary>Writes E[T] = [E log v_k, E log(1 − v_k)]_k.</summary>
    public void ExpectedSufficientStatistics(Span<double> destination)
    {
        for (int k = 0; k < Components; k++)
        {
            double total = GammaFunctionSpans.Digamma(_first[k] + _second[k]);
            destination[2 * k] = GammaFunctionSpans.Digamma(_first[k]) - total;
            destination[2 * k + 1] = GammaFunctionSpans.Digamma(_second[k]) - total;
        }
    }

    /// <summary>Writes the statistics of expected component counts N_k: [N_k, Σ_{j&gt;k} N_j]_k.</summary>
    public static void StatisticsOfCounts(ReadOnlySpan<double> counts, Span<double> destination)
    {
        double after = 0;
        for (int k = counts.Length - 1; k >= 0; k--)
        {
            destination[2 * k] = counts[k];
            destination[2 * k + 1] = after;
            after += counts[k];
        }
    }

    /// <summary>E[log π_k] = E[log v_k] + Σ_{j&lt;k} E[log(1 − v_j)].</summary>
    public void ExpectedLogWeights(Span<double> destination)
    {
        var t = new double[2 * Components];
        ExpectedSufficientStatistics(t);
        double before = 0;
        for (int k = 0; k < Components; k++)
        {
            destination[k] = t[2 * k] + before;
            before += t[2 * k + 1];
        }
    }

    /// <summary>E[π_k] = E[v_k] Π_{j&lt;k} E[1 − v_j] (the sticks are independent), scikit-learn's weights_ before normalizing.</summary>
    public double[] ExpectedWeights()
    {
        var w = new double[Components];
        double remaining = 1;
        for (int k = 0; k < Components; k++)
        {
            double v = _first[k] / (_first[k] + _second[k]);
            w[k] = v * remaining;
            remaining *= 1 - v;
        }
        return w;
    }

    /// <summary>Σ_k KL(Beta(a_k, b_k) ‖ prior's Beta) through the library's KL registry.</summary>
    public double KullbackLeiblerTo(StickBreakingWeights prior)
    {
        ArgumentNullException.ThrowIfNull(prior);
        if (prior.Components != Components) throw new ArgumentException($"prior has {prior.Components} sticks, expected {Components}.", nameof(prior));
        return KullbackLeibler.Divergence(ToDistribution(), prior.ToDistribution()).Sum().Item();
    }

    /// <summary>The sticks as the library's batched <see cref="Beta"/> distribution.</summary>
    public Beta ToDistribution() => new(Tensor.FromArray(_first, Components), Tensor.FromArray(_second, Components));
}
