namespace Vinfer.Conjugate;

/// <summary>
/// The closed-form ELBO of a conjugate model (<see cref="IConjugateModel"/>; Hoffman et al. 2013, eq. 7):
/// ⟨E_q[T(θ)], S⟩ + local − KL(q(θ) ‖ p(θ)), where S and local come from one local step over all the data (or, times
/// N/|B|, over a minibatch B for an unbiased estimate).
/// </summary>
public static class ConjugateElbo
{
    /// <summary>
    /// The ELBO of the current q(θ) with the local factors just computed: <paramref name="statistics"/> and
    /// <paramref name="localTerms"/> from <see cref="IConjugateModel.LocalStep"/>, scaled by <paramref name="scale"/>
    /// (N/|B| for a minibatch, 1 for all the data).
    /// </summary>
    public static double Evaluate(IConjugateModel model, ReadOnlySpan<double> statistics, double localTerms, double scale = 1.0)
    {
        ArgumentNullException.ThrowIfNull(model);
        var expected = new double[model.GlobalDimension];
        model.ExpectedGlobalStatistics(expected);
        return scale * (ExponentialFamily.Dot(expected, statistics) + localTerms) - model.GlobalKullbackLeibler();
    }

    /// <summary>
    /// The ELBO at the current q(θ) with every local factor at its optimum: one local step over all the data (the
    /// objective stochastic VI maximizes, L(λ) of Hoffman et al. 2013, eq. 21). Leaves q(θ) as it is.
    /// </summary>
    public static double AtOptimalLocals(IConjugateModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var statistics = new double[model.GlobalDimension];
        double local = model.LocalStep([], allData: true, statistics);
        return Evaluate(model, statistics, local);
    }
}
