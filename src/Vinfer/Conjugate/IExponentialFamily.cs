namespace Vinfer.Conjugate;

/// <summary>
/// A member of an exponential family written as p(θ) = h(θ) exp(⟨η, T(θ)⟩ − A(η)): natural parameters η, sufficient
/// statistics T, log-partition A and base measure h (Wainwright and Jordan 2008, §3.2). The expected sufficient
/// statistics E[T(θ)] = ∇A(η) are what coordinate-ascent updates of the other factors need, and with A they give the
/// KL divergence and the entropy in closed form (<see cref="ExponentialFamily"/>). Natural parameters are flattened
/// to one vector whose layout each family documents; <see cref="ExpectedSufficientStatistics"/> uses the same layout,
/// so ⟨η, E[T]⟩ is a dot product.
/// </summary>
public interface IExponentialFamily
{
    /// <summary>The length of the natural-parameter vector.</summary>
    int NaturalDimension { get; }

    /// <summary>Writes η into <paramref name="destination"/> (length <see cref="NaturalDimension"/>).</summary>
    void NaturalParameters(Span<double> destination);

    /// <summary>Writes E[T(θ)] = ∇A(η) into <paramref name="destination"/>, in the layout of η.</summary>
    void ExpectedSufficientStatistics(Span<double> destination);

    /// <summary>A(η), the log-partition function.</summary>
    double LogPartition { get; }

    /// <summary>E[log h(θ)] under this distribution (a constant for most families).</summary>
    double ExpectedLogBaseMeasure { get; }
}
