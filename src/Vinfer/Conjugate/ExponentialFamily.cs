namespace Vinfer.Conjugate;

/// <summary>
/// Closed forms shared by every exponential family (<see cref="IExponentialFamily"/>; Wainwright and Jordan 2008,
/// §3.2 and §5): KL(q ‖ p) = ⟨η_q − η_p, E_q[T]⟩ − A(η_q) + A(η_p) for two members of one family (the base measures
/// cancel), and the entropy H(q) = A(η_q) − ⟨η_q, E_q[T]⟩ − E_q[log h].
/// </summary>
public static class ExponentialFamily
{
    /// <summary>KL(q ‖ p) for two members of the same family (same natural-parameter layout).</summary>
    public static double KullbackLeibler(IExponentialFamily q, IExponentialFamily p)
    {
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(p);
        if (q.NaturalDimension != p.NaturalDimension)
            throw new ArgumentException($"KL needs one family: q has {q.NaturalDimension} natural parameters, p has {p.NaturalDimension}.", nameof(p));
        int n = q.NaturalDimension;
        var etaQ = new double[n]; var etaP = new double[n]; var stats = new double[n];
        q.NaturalParameters(etaQ); p.NaturalParameters(etaP); q.ExpectedSufficientStatistics(stats);
        double dot = 0;
        for (int i = 0; i < n; i++) dot += (etaQ[i] - etaP[i]) * stats[i];
        return dot - q.LogPartition + p.LogPartition;
    }

    /// <summary>The entropy H(q) = A(η) − ⟨η, E[T]⟩ − E[log h].</summary>
    public static double Entropy(IExponentialFamily q)
    {
        ArgumentNullException.ThrowIfNull(q);
        int n = q.NaturalDimension;
        var eta = new double[n]; var stats = new double[n];
        q.NaturalParameters(eta); q.ExpectedSufficientStatistics(stats);
        double dot = 0;
        for (int i = 0; i < n; i++) dot += eta[i] * stats[i];
        return q.LogPartition - dot - q.ExpectedLogBaseMeasure;
    }

    /// <summary>⟨a, b⟩ over two spans of one length.</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"lengths differ: {a.Length} and {b.Length}.", nameof(b));
        return System.Numerics.Tensors.TensorPrimitives.Dot(a, b);
    }
}
