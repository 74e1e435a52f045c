using Vinfer.Random;
using Vinfer.Tensors;

using Vinfer.Tensors.Kernels;

namespace Vinfer.Distributions;

/// <summary>
/// The categorical distribution over {0, …, K − 1} (the last dimension of the parameter), by probabilities
/// (normalized here) or by unnormalized logits: log p(x) = logits[x] − logsumexp(logits).
/// </summary>
public sealed class Categorical : Distribution
{
    /// <summary>Categorical by <paramref name="probs"/> (non-negative, normalized per row) or <paramref name="logits"/>.</summary>
    public Categorical(Tensor? probs = null, Tensor? logits = null, bool? validateArgs = null)
        : base(BatchOf(ProbsOrLogits.Either(nameof(Categorical), probs, logits)), [], validateArgs)
    {
        if (probs is not null)
        {
            CheckParameter(nameof(probs), probs, Constraints.NonNegative);
            LogitsNormalized = (probs / probs.Sum(-1, keepDim: true)).Log();
        }
        else
        {
            CheckParameter(nameof(logits), logits!, new NotNaN());
            LogitsNormalized = logits!.LogSoftmax(-1);
        }
        Categories = LogitsNormalized.Dim(-1);
    }

    private static int[] BatchOf(Tensor p) => p.Rank >= 1 ? p.Shape[..^1].ToArray()
        : throw Validation.Shape(nameof(Categorical), "probs/logits", "must have at least one dimension (the categories)", p.Shape);

    /// <summary>Normalized log-probabilities, shape [..., K].</summary>
    public Tensor LogitsNormalized { get; }

    /// <summary>Probabilities, shape [..., K].</summary>
    public Tensor Probs => LogitsNormalized.Exp();

    /// <summary>K.</summary>
    public int Categories { get; }

    /// <inheritdoc />
    public override Constraint Support => Constraints.IntegerInterval(0, Categories - 1);

    /// <inheritdoc />
    public override Tensor LogProb(Tensor value)
    {
        CheckValue(value);
        return LastAxisGather.Apply(LogitsNormalized, value, "Categorical.LogProb");
    }

    /// <inheritdoc />
    public override Tensor Sample(RandomStream rng, params int[] sampleShape)
    {
        var shape = ExtendedShape(sampleShape);
        var logits = LogitsNormalized.Detach().Expand([.. shape, Categories]);
        var idx = new int[Shapes.Count(shape)];
        Vinfer.Random.Sample.CategoricalFromLogits(rng.NextKey(), logits.Span, Categories, idx);
        var r = Tensor.Uninitialized(shape);
        var s = r.Span;
        for (int i = 0; i < s.Length; i++) s[i] = idx[i];
        return r;
    }

    /// <summary>−Σ p log p.</summary>
    public override Tensor Entropy()
    {
        var lp = LogitsNormalized;
        var p = lp.Exp();
        // 0·log 0 = 0: clamp −∞ logits before multiplying.
        return -(p * lp.Clamp(min: -1e300)).Sum(-1);
    }

    /// <inheritdoc />
    public override Distribution Expand(params int[] batchShape)
    {
        CheckExpand(batchShape);
        return new Categorical(logits: LogitsNormalized.Expand([.. batchShape, Categories]), validateArgs: false);
    }

    private sealed class NotNaN : Constraint
    {
        public override Tensor Check(Tensor value) => Elementwise(value, x => !double.IsNaN(x) && x != double.PositiveInfinity);

        public override string Name => "a logit (not NaN, not +∞)";
    }
}
