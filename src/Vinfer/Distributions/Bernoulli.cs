using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>
/// The Bernoulli distribution on {0, 1}, by probability p or by logit l = log(p/(1 − p)):
/// log p(x) = x log p + (1 − x) log(1 − p) = x·l − softplus(l).
/// </summary>
public sealed class Bernoulli : Distribution
{
    /// <summary>Bernoulli by <paramref name="probs"/> in [0, 1] or by <paramref name="logits"/> (exactly one).</summary>
    public Bernoulli(Tensor? probs = null, Tensor? logits = null, bool? validateArgs = null)
        : base(ProbsOrLogits.Either(nameof(Bernoulli), probs, logits).ShapeArray, [], validateArgs)
    {
        ProbsParameter = probs; LogitsParameter = logits;
        if (probs is not null) CheckParameter(nameof(probs), probs, Constraints.UnitInterval);
        if (logits is not null) CheckParameter(nameof(logits), logits, Constraints.Real);
    }

    private Tensor? ProbsParameter { get; }
    private Tensor? LogitsParameter { get; }

    /// <summary>P(x = 1).</summary>
    public Tensor Probs => ProbsParameter ?? LogitsParameter!.Sigmoid();

    /// <summary>log(p/(1 − p)).</summary>
    public Tensor Logits => LogitsParameter ?? ProbsParameter!.Log() - (-ProbsParameter!).Log1p();

    /// <inheritdoc />
    public override Constraint Support => Constraints.Boolean;

    /// <inheritdoc />
    public override Tensor LogProb(Tensor value)
    {
        CheckValue(value);
        if (LogitsParameter is { } l) return l.BernoulliLogProb(value);
        var p = ProbsParameter!;
        return Beta.XLogY(value, p) + Beta.XLogY(1.0 - value, 1.0 - p);
    }

    /// <inheritdoc />
    public override Tensor Sample(RandomStream rng, params int[] sampleShape)
    {
        var shape = ExtendedShape(sampleShape);
        var p = Probs.Detach().Expand(shape).Span;
        var u = Tensor.Uninitialized(shape);
        var s = u.Span;
        Vinfer.Random.Sample.Uniform(rng.NextKey(), s);
        for (int i = 0; i < s.Length; i++) s[i] = s[i] < p[i] ? 1 : 0;
        return u;
    }

    /// <summary>p.</summary>
    public override Tensor Mean => Probs.Expand(BatchShape);

    /// <summary>p(1 − p).</summary>
    public override Tensor Variance { get { var p = Probs; return (p * (1.0 - p)).Expand(BatchShape); } }

    /// <summary>−p log p − (1 − p) log(1 − p).</summary>
    public override Tensor Entropy()
    {
        if (LogitsParameter is { } l) return (l.Softplus() - l * l.Sigmoid()).Expand(BatchShape);
        var p = ProbsParameter!;
        return (-(Beta.XLogY(p, p) + Beta.XLogY(1.0 - p, 1.0 - p))).Expand(BatchShape);
    }

    /// <inheritdoc />
    public override Distribution Expand(params int[] batchShape)
    {
        CheckExpand(batchShape);
        return ProbsParameter is not null ? new Bernoulli(probs: ProbsParameter.Expand(batchShape), validateArgs: false)
            : new Bernoulli(logits: LogitsParameter!.Expand(batchShape), validateArgs: false);
    }
}
