using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>
/// The multinomial distribution: counts over K categories from n draws, log p(x) = log n! − Σ log xⱼ! + Σ xⱼ log pⱼ.
/// Sampled exactly as a chain of conditional binomials.
/// </summary>
public sealed class Multinomial : Distribution
{
    private readonly Categorical _categorical;

    /// <summary>Multinomial(totalCount, probs | logits) with the categories in the last dimension.</summary>
    public Multinomial(int totalCount, Tensor? probs = null, Tensor? logits = null, bool? validateArgs = null)
        : base(ProbsOrLogits.Either(nameof(Multinomial), probs, logits).Shape[..^0].Length == 0
              ? throw Validation.Shape(nameof(Multinomial), "probs/logits", "must have at least one dimension (the categories)", (probs ?? logits)!.Shape)
              : (probs ?? logits)!.Shape[..^1].ToArray(), [(probs ?? logits)!.Dim(-1)], validateArgs)
    {
        if (totalCount < 0) throw new ArgumentOutOfRangeException(nameof(totalCount), $"Multinomial: parameter 'totalCount' must be a non-negative integer, got {totalCount}.");
        TotalCount = totalCount;
        _categorical = new Categorical(probs, logits, Validates);
    }

    /// <summary>The number of draws n.</summary>
    public int TotalCount { get; }

    /// <summary>Category probabilities.</summary>
    public Tensor Probs => _categorical.Probs;

    /// <inheritdoc />
    public override Constraint Support => new CountVectorConstraint(TotalCount);

    /// <inheritdoc />
    public override Tensor LogProb(Tensor value)
    {
        CheckValue(value);
        var logits = _categorical.LogitsNormalized.Clamp(min: -1e300);
        return MathNet.Numerics.SpecialFunctions.GammaLn(TotalCount + 1) - (value + 1.0).LogGamma().Sum(-1) + (value * logits).Sum(-1);
    }

    /// <inheritdoc />
    public override Tensor Sample(RandomStream rng, params int[] sampleShape)
    {
        var shape = ExtendedShape(sampleShape);
        int k = shape[^1];
        var p = Probs.Detach().Expand(shape).Span;
        var r = Tensor.Uninitialized(shape);
        var s = r.Span;
        var key = rng.NextKey();
        for (int row = 0; row < s.Length / k; row++)
        {
            var stream = new ElementStream(key, row);
            double remaining = TotalCount, mass = 1;
            for (int j = 0; j < k; j++)
            {
                double pj = p[row * k + j];
                double x = j == k - 1 || remaining == 0 ? remaining : BinomialDraw.Draw(ref stream, remaining, Math.Clamp(pj / mass, 0, 1));
                s[row * k + j] = x;
                remaining -= x; mass -= pj;
            }
        }
        return r;
    }

    /// <summary>n·p.</summary>
    public override Tensor Mean => (Probs * TotalCount).Expand([.. BatchShape, .. EventShape]);

    /// <summary>n·p(1 − p) per category.</summary>
    public override Tensor Variance { get { var p = Probs; return (p * (1.0 - p) * TotalCount).Expand([.. BatchShape, .. EventShape]); } }

    /// <inheritdoc />
    public override Distribution Expand(params int[] batchShape)
    {
        CheckExpand(batchShape);
        return new Multinomial(TotalCount, logits: _categorical.LogitsNormalized.Expand([.. batchShape, EventShape[0]]), validateArgs: false);
    }

    private sealed class CountVectorConstraint(int n) : Constraint
    {
        public override int EventDim => 1;

        public override bool IsDiscrete => true;

        public override Tensor Check(Tensor value) => PerEvent(value, value.Dim(-1), v =>
        {
            double sum = 0;
            foreach (double x in v) { if (!(x >= 0) || Math.Floor(x) != x) return false; sum += x; }
            return sum == n;
        });

        public override string Name => $"a vector of non-negative integer counts summing to {n}";
    }
}
