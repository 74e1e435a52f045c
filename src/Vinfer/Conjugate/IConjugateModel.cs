namespace Vinfer.Conjugate;

/// <summary>
/// A conditionally conjugate exponential-family model with global variables θ and one local factor per data point
/// (Hoffman, Blei, Wang and Paisley, "Stochastic variational inference", JMLR 2013, §2): p(x_n, z_n | θ) is in the
/// exponential family with the global's sufficient statistics T(θ) as its natural parameter, so the variational
/// factor q(θ) stays in the prior's family and its natural parameter at the optimum is the prior's plus the expected
/// sufficient statistics of the data: λ = η₀ + Σ_n E_q[t(x_n, z_n)]. What the model provides, the drivers
/// (<see cref="CoordinateAscent"/>, <see cref="StochasticVariationalInference"/>) combine generically:
/// <list type="bullet">
/// <item>the global natural parameters (flattened, with the layout of E_q[T(θ)]), the prior's, and KL(q(θ) ‖ p(θ));</item>
/// <item>a local step: optimize the local factors q(z_n) of some data points given q(θ) and return their expected
/// sufficient statistics (in the layout of λ) and the local part of the ELBO.</item>
/// </list>
/// The ELBO is then ⟨E_q[T(θ)], S⟩ + local − KL(q(θ) ‖ p(θ)), with S the statistics of the local step.
/// </summary>
public interface IConjugateModel
{
    /// <summary>The model's name in messages.</summary>
    string Name { get; }

    /// <summary>The number of data points (local factors), N.</summary>
    int DataCount { get; }

    /// <summary>
    /// The number of data points over all processes of a data-parallel fit, from which minibatch indices are drawn
    /// (<see cref="DataCount"/>, this process's, by default).
    /// </summary>
    int TotalCount => DataCount;

    /// <summary>The length of the global natural-parameter vector.</summary>
    int GlobalDimension { get; }

    /// <summary>Writes the prior's natural parameters η₀.</summary>
    void PriorNaturalParameters(Span<double> destination);

    /// <summary>Writes the current q(θ)'s natural parameters λ.</summary>
    void GetNaturalParameters(Span<double> destination);

    /// <summary>Sets q(θ) from natural parameters λ (a convex combination of valid ones must be accepted).</summary>
    void SetNaturalParameters(ReadOnlySpan<double> naturalParameters);

    /// <summary>Writes E_q[T(θ)] under the current q(θ), in the layout of λ.</summary>
    void ExpectedGlobalStatistics(Span<double> destination);

    /// <summary>KL(q(θ) ‖ p(θ)) in closed form.</summary>
    double GlobalKullbackLeibler();

    /// <summary>
    /// Optimizes the local factors of the data points <paramref name="indices"/> (all of them, in order, when
    /// <paramref name="allData"/> is true; <paramref name="indices"/> is then ignored) given
    /// the current q(θ); writes the sum of their expected sufficient statistics into <paramref name="statistics"/>
    /// (length <see cref="GlobalDimension"/>, overwritten) and returns the local part of their ELBO: everything except
    /// ⟨E_q[T(θ)], S⟩ and the global KL (E_q[log h(x_n, z_n)], the entropies of the local factors, local KL terms).
    /// </summary>
    double LocalStep(ReadOnlySpan<int> indices, bool allData, Span<double> statistics);
}
