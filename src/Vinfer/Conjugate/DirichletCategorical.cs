using Vinfer.Distributions;
using Vinfer.Tensors;

namespace Vinfer.Conjugate;

/// <summary>
/// A Dirichlet factor Dir(α) over the probabilities θ of a categorical variable, as an exponential family: η = α − 1,
/// T(θ) = log θ, A(η) = Σ log Γ(α_k) − log Γ(Σ α_k), h = 1; E[log θ_k] = ψ(α_k) − ψ(Σ α). Conjugacy: after observing
/// expected counts n_k of the categories, the posterior is Dir(α + n) (Blei, Kucukelbir and McAuliffe 2017, §4;
/// Bishop 2006, §10.2). The KL divergence goes through the library's registry (Dirichlet ‖ Dirichlet).
/// </summary>
public sealed class DirichletCategorical : IExponentialFamily
{
    private readonly double[] _concentration;

    /// <summary>Dir(α), every α_k finite and positive.</summary>
    public DirichletCategorical(ReadOnlySpan<double> concentration)
    {
        if (concentration.Length < 1) throw new ArgumentException("concentration needs at least one category.", nameof(concentration));
        for (int k = 0; k < concentration.Length; k++)
            if (!(concentration[k] > 0) || double.IsInfinity(concentration[k]))
                throw new ArgumentOutOfRangeException(nameof(concentration), concentration[k], $"concentration[{k}] must be finite and positive.");
        _concentration = concentration.ToArray();
    }

    /// <summary>The symmetric Dir(α, …, α) over <paramref name="categories"/> categories.</summary>
    public static DirichletCategorical Symmetric(int categories, double concentration)
    {
        if (categories < 1) throw new ArgumentOutOfRangeException(nameof(categories), categories, "must be at least 1.");
        var a = new double[categories];
        Array.Fill(a, concentration);
        return new DirichletCategorical(a);
    }

    /// <summary>α.</summary>
    public ReadOnlySpan<double> Concentration => _concentration;

    /// <summary>The number of categories.</summary>
    public int Categories => _concentration.Length;

    /// <summary>The posterior Dir(α + counts) after expected counts of the categories.</summary>
    public DirichletCategorical Posterior(ReadOnlySpan<double> counts)
    {
        if (counts.Length != Categories) throw new ArgumentException($"counts has {counts.Length} entries, expected {Categories}.", nameof(counts));
        var a = new double[Categories];
        for (int k = 0; k < a.Length; k++) a[k] = _concentration[k] + counts[k];
        return new DirichletCategorical(a);
    }

    /// <summary>E[log θ_k] = ψ(α_k) − ψ(Σ α).</summary>
    public void ExpectedLogProbabilities(Span<double> destination) => ExpectedLogProbabilities(_concentration, destination);

    /// <summary>E[θ_k] = α_k / Σ α.</summary>
    public double[] Mean()
    {
        double sum = _concentration.Sum();
        return _concentration.Select(a => a / sum).ToArray();
    }

    /// <summary>E[log θ_k] = ψ(α_k) − ψ(Σ α) for one concentration vector.</summary>
    public static void ExpectedLogProbabilities(ReadOnlySpan<double> concentration, Span<double> destination)
    {
        double sum = 0;
        foreach (double a in concentration) sum += a;
        GammaFunctionSpans.Digamma(concentration, destination);
        double total = GammaFunctionSpans.Digamma(sum);
        for (int k = 0; k < concentration.Length; k++) destination[k] -= total;
    }

    /// <summary>
    /// E[log θ] row by row for a row-major matrix of concentrations with <paramref name="columns"/> columns (one
    /// Dirichlet per row: a topic-word matrix or per-document topic proportions), digamma vectorized over the whole matrix.
    /// </summary>
    public static void ExpectedLogProbabilitiesByRow(ReadOnlySpan<double> concentrations, int columns, Span<double> destination)
    {
        if (columns < 1 || concentrations.Length % columns != 0)
            throw new ArgumentException($"{concentrations.Length} concentrations do not make rows of {columns} columns.", nameof(columns));
        GammaFunctionSpans.Digamma(concentrations, destination);
        for (int r = 0; r < concentrations.Length / columns; r++)
        {
            var row = concentrations.Slice(r * columns, columns);
            double sum = 0;
            foreach (double a in row) sum += a;
            double total = GammaFunctionSpans.Digamma(sum);
            var d = destination.Slice(r * columns, columns);
            for (int k = 0; k < columns; k++) d[k] -= total;
        }
    }

    /// <summary>log B(α) = Σ log Γ(α_k) − log Γ(Σ α), the log-partition of one concentration vector.</summary>
    public static double LogMultivariateBeta(ReadOnlySpan<double> concentration)
    {
        double sum = 0, logs = 0;
        foreach (double a in concentration) { sum += a; logs += GammaFunctionSpans.LogGamma(a); }
        return logs - GammaFunctionSpans.LogGamma(sum);
    }

    /// <summary>KL(this ‖ prior) through the library's KL registry (Dirichlet ‖ Dirichlet).</summary>
    public double KullbackLeiblerTo(DirichletCategorical prior)
    {
        ArgumentNullException.ThrowIfNull(prior);
        if (prior.Categories != Categories) throw new ArgumentException($"prior has {prior.Categories} categories, expected {Categories}.", nameof(prior));
        return KullbackLeibler.Divergence(ToDistribution(), prior.ToDistribution()).Item();
    }

    /// <summary>The entropy, from the library's Dirichlet.</summary>
    public double Entropy() => ToDistribution().Entropy().Item();

    /// <summary>This factor as the library's <see cref="Dirichlet"/> distribution.</summary>
    public Dirichlet ToDistribution() => new(Tensor.FromArray(_concentration, Categories));

    /// <inheritdoc />
    public int NaturalDimension => Categories;

    /// <inheritdoc />
    public void NaturalParameters(Span<double> destination)
    {
        for (int k = 0; k < Categories; k++) destination[k] = _concentration[k] - 1;
    }

    /// <inheritdoc />
    public void ExpectedSufficientStatistics(Span<double> destination) => ExpectedLogProbabilities(destination);

    /// <inheritdoc />
    public double LogPartition => LogMultivariateBeta(_concentration);

    /// <inheritdoc />
    public double ExpectedLogBaseMeasure => 0;
}
