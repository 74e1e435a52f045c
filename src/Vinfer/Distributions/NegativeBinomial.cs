using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>
/// The negative binomial distribution in PyTorch's convention: the number of successes (probability p each) before
/// r failures, log p(k) = log Γ(k + r) − log Γ(r) − log k! + r log(1 − p) + k log p, with logits l = log(p/(1 − p))
/// giving r log(1 − p) + k log p = −r·softplus(l) + k·(l − softplus(l)). Sampled as a gamma–Poisson mixture.
/// </summary>
public sealed class NegativeBinomial : Distribution
{
    /// <summary>NegativeBinomial(totalCount r &gt; 0, probs | logits).</summary>
    public NegativeBinomial(Tensor totalCount, Tensor? probs = null, Tensor? logits = null, bool? validateArgs = null)
        : base(BroadcastParameters(nameof(NegativeBinomial), "totalCount", totalCount, "probs/logits", ProbsOrLogits.Either(nameof(NegativeBinomial), probs, logits)), [], validateArgs)
    {
        TotalCount = totalCount;
        CheckParameter(nameof(totalCount), totalCount, Constraints.Positive);
        if (probs is not null)
        {
            CheckParameter(nameof(probs), probs, Constraints.Interval(0, 1));
            Logits = probs.Log() - (-probs).Log1p();
        }
        else
        {
            CheckParameter(nameof(logits), logits!, Constraints.Real);
            Logits = logits!;
        }
    }

    /// <summary>The number of failures r (may be real).</summary>
    public Tensor TotalCount { get; }

    /// <summary>log(p/(1 − p)).</summary>
    public Tensor Logits { get; }

    /// <summary>The success probability p.</summary>
    public Tensor Probs => Logits.Sigmoid();

    /// <inheritdoc />
    public override Constraint Support => Constraints.NonNegativeInteger;

    /// <inheritdoc />
    public override Tensor LogProb(Tensor value)
    {
        CheckValue(value);
        var r = TotalCount; var l = Logits;
        var sp = l.Softplus();
        return (value + r).LogGamma() - r.LogGamma() - (value + 1.0).LogGamma() - r * sp + value * (l - sp);
    }

    /// <inheritdoc />
    public override Tensor Sample(RandomStream rng, params int[] sampleShape)
    {
        var shape = ExtendedShape(sampleShape);
        var r = TotalCount.Detach().Expand(shape);
        var odds = Logits.Detach().Exp().Expand(shape);
        var lambda = Tensor.Uninitialized(shape);
        Vinfer.Random.Sample.Gamma(rng.NextKey(), r.Span, lambda.Span);
        var ls = lambda.Span; var os = odds.Span;
        for (int i = 0; i < ls.Length; i++) ls[i] *= os[i];
        var k = Tensor.Uninitialized(shape);
        Vinfer.Random.Sample.Poisson(rng.NextKey(), lambda.Span, k.Span);
        return k;
    }

    /// <summary>r·p/(1 − p).</summary>
    public override Tensor Mean => (TotalCount * Logits.Exp()).Expand(BatchShape);

    /// <summary>r·p/(1 − p)².</summary>
    public override Tensor Variance => (TotalCount * Logits.Exp() / (1.0 - Probs)).Expand(BatchShape);

    /// <inheritdoc />
    public override Distribution Expand(params int[] batchShape)
    {
        CheckExpand(batchShape);
        return new NegativeBinomial(TotalCount.Expand(batchShape), logits: Logits.Expand(batchShape), validateArgs: false);
    }
}
