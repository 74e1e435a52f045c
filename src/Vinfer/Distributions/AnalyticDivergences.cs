using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>The analytic KL divergences registered with <see cref="KullbackLeibler"/> at start-up.</summary>
internal static partial class AnalyticDivergences
{
    public static void RegisterAll()
    {
        KullbackLeibler.Register<Normal, Normal>(NormalNormal);
        KullbackLeibler.Register<Gamma, Gamma>(GammaGamma);
        KullbackLeibler.Register<Beta, Beta>(BetaBeta);
        KullbackLeibler.Register<Dirichlet, Dirichlet>(DirichletDirichlet);
        KullbackLeibler.Register<Categorical, Categorical>(CategoricalCategorical);
        KullbackLeibler.Register<Bernoulli, Bernoulli>(BernoulliBernoulli);
        KullbackLeibler.Register<Exponential, Exponential>(ExponentialExponential);
        KullbackLeibler.Register<MultivariateNormal, MultivariateNormal>(MultivariateNormalMultivariateNormal);
        KullbackLeibler.Register<Independent, Independent>(IndependentIndependent);
    }

    /// <summary>
    /// KL(Independent(p) ‖ Independent(q)) = KL(p ‖ q) summed over the reinterpreted dimensions, when both
    /// reinterpret the same number of dimensions.
    /// </summary>
    private static Tensor IndependentIndependent(Independent p, Independent q)
    {
        if (p.ReinterpretedBatchDims != q.ReinterpretedBatchDims)
            throw new NotSupportedException($"KullbackLeibler.Divergence: {p.Name} and {q.Name} reinterpret different numbers of batch dimensions ({p.ReinterpretedBatchDims} vs {q.ReinterpretedBatchDims}).");
        return Independent.SumRightmost(KullbackLeibler.Divergence(p.BaseDistribution, q.BaseDistribution), p.ReinterpretedBatchDims);
    }
}
