using Vinfer.Tensors;

namespace Vinfer.Distributions;

internal static partial class AnalyticDivergences
{
    /// <summary>KL(Bern(p) ‖ Bern(q)) = p log(p/q) + (1 − p) log((1 − p)/(1 − q)) = p(l_p − l_q) − softplus(l_p) + softplus(l_q) in logits.</summary>
    internal static Tensor BernoulliBernoulli(Bernoulli p, Bernoulli q)
    {
        var lp = p.Logits; var lq = q.Logits;
        return p.Probs * (lp - lq) - lp.Softplus() + lq.Softplus();
    }
}
