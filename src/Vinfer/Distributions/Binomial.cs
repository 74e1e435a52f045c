using Vinfer.Random;
using Vinfer.Tensors;

using Vinfer.Tensors.Kernels;

namespace Vinfer.Distributions;

/// <summary>
/// The binomial distribution: successes in n trials with probability p (or logit l):
/// log p(k) = log C(n, k) + k log p + (n − k) log(1 − p) = log C(n, k) + k·l − n·softplus(l).
/// </summary>
public sealed class Binomial : Distribution
{
    /// <summary>Binomial(totalCount, probs | logits); totalCount a non-negative integer tensor.</summary>
    public Binomial(Tensor totalCount, Tensor? probs = null, Tensor? logits = null, bool? validateArgs = null)
        : base(Shape(totalCount, ProbsOrLogits.Either(nameof(Binomial), probs, logits)), [], validateArgs)
    {
        TotalCount = totalCount; ProbsParameter = probs; LogitsParameter = logits;
        CheckParameter(nameof(totalCount), totalCount, Constraints.NonNegativeInteger);
        if (probs is not null) CheckParameter(nameof(probs), probs, Constraints.UnitInterval);
        if (logits is not null) CheckParameter(nameof(logits), logits, Constraints.Real);
    }

    /// <summary>Binomial with a scalar number of trials.</summary>
    public Binomial(double totalCount, Tensor? probs = null, Tensor? logits = null, bool? validateArgs = null)
        : this(Tensor.Scalar(totalCount), probs, logits, validateArgs) { }

    private static int[] Shape(Tensor n, Tensor p) => BroadcastParameters(nameof(Binomial), "totalCount", n, "probs/logits", p);

    private Tensor? ProbsParameter { get; }
    private Tensor? LogitsParameter { get; }

    /// <summary>The number of trials n.</summary>
    public Tensor TotalCount { get; }

    /// <summary>The success probability.</summary>
    public Tensor Probs => ProbsParameter ?? LogitsParameter!.Sigmoid();

    /// <summary>The dependent support {0, …, n}: checked elementwise against the broadcast n.</summary>
    public override Constraint Support => new CountConstraint(TotalCount);

    /// <inheritdoc />
    public override Tensor LogProb(Tensor value)
    {
        CheckValue(value);
        var n = TotalCount;
        var logChoose = (n + 1.0).LogGamma() - (value + 1.0).LogGamma() - (n - value + 1.0).LogGamma();
        if (LogitsParameter is { } l) return logChoose + value * l - n * l.Softplus();
        var p = ProbsParameter!;
        return logChoose + Beta.XLogY(value, p) + Beta.XLogY(n - value, 1.0 - p);
    }

    /// <inheritdoc />
    public override Tensor Sample(RandomStream rng, params int[] sampleShape)
    {
        var shape = ExtendedShape(sampleShape);
        var n = TotalCount.Detach().Expand(shape).Span;
        var p = Probs.Detach().Expand(shape).Span;
        var r = Tensor.Uninitialized(shape);
        var s = r.Span;
        var key = rng.NextKey();
        for (int i = 0; i < s.Length; i++)
        {
            var stream = new ElementStream(key, i);
            s[i] = BinomialDraw.Draw(ref stream, n[i], p[i]);
        }
        return r;
    }

    /// <summary>np.</summary>
    public override Tensor Mean => (TotalCount * Probs).Expand(BatchShape);

    /// <summary>np(1 − p).</summary>
    public override Tensor Variance { get { var p = Probs; return (TotalCount * p * (1.0 - p)).Expand(BatchShape); } }

    /// <inheritdoc />
    public override Distribution Expand(params int[] batchShape)
    {
        CheckExpand(batchShape);
        return ProbsParameter is not null
            ? new Binomial(TotalCount.Expand(batchShape), probs: ProbsParameter.Expand(batchShape), validateArgs: false)
            : new Binomial(TotalCount.Expand(batchShape), logits: LogitsParameter!.Expand(batchShape), validateArgs: false);
    }

    /// <summary>Integers 0 … n with a broadcast tensor n.</summary>
    private sealed class CountConstraint(Tensor n) : Constraint
    {
        public override bool IsDiscrete => true;

        public override Tensor Check(Tensor value)
        {
            var shape = Shapes.Broadcast(value.Shape, n.Shape);
            var v = value.Detach().Expand(shape).Span; var m = n.Detach().Expand(shape).Span;
            var r = Tensor.Uninitialized(shape);
            var s = r.Span;
            for (int i = 0; i < s.Length; i++) s[i] = v[i] >= 0 && v[i] <= m[i] && Math.Floor(v[i]) == v[i] ? 1 : 0;
            return r;
        }

        public override string Name => "an integer in {0, …, totalCount}";
    }
}
