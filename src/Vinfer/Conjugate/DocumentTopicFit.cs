namespace Vinfer.Conjugate;

/// <summary>
/// The E-step of latent Dirichlet allocation over a set of documents (<see cref="LatentDirichletAllocation.InferDocuments"/>):
/// each document's Dirichlet γ_d over topics, the sum of their ELBO terms (everything but the topics' KL), the number of
/// tokens and the E-step sweeps it took.
/// </summary>
public sealed class DocumentTopicFit
{
    private readonly double[] _concentrations;

    /// <summary>Wraps the E-step's results (γ as D rows of <paramref name="topics"/>).</summary>
    public DocumentTopicFit(double[] concentrations, int topics, double documentBound, double tokens, long sweeps)
    {
        _concentrations = concentrations ?? throw new ArgumentNullException(nameof(concentrations));
        Topics = topics;
        DocumentBound = documentBound;
        Tokens = tokens;
        Sweeps = sweeps;
    }

    /// <summary>K.</summary>
    public int Topics { get; }

    /// <summary>γ, D rows of K.</summary>
    public ReadOnlySpan<double> Concentrations => _concentrations;

    /// <summary>Σ_d [Σ_v n_dv log Σ_k exp(E[log θ_dk] + E[log β_kv]) − KL(q(θ_d) ‖ p(θ_d))].</summary>
    public double DocumentBound { get; }

    /// <summary>The number of tokens (sum of counts).</summary>
    public double Tokens { get; }

    /// <summary>E-step sweeps summed over the documents.</summary>
    public long Sweeps { get; }

    /// <summary>E[θ_d] = γ_d / Σ γ_d for document <paramref name="document"/>.</summary>
    public double[] Proportions(int document)
    {
        var row = _concentrations.AsSpan(document * Topics, Topics);
        double sum = 0;
        foreach (double g in row) sum += g;
        var mean = new double[Topics];
        for (int k = 0; k < Topics; k++) mean[k] = row[k] / sum;
        return mean;
    }
}
