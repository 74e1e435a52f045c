using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>Checks that exactly one of the two parameterizations of a discrete distribution was given.</summary>
internal static class ProbsOrLogits
{
    public static Tensor Either(string distribution, Tensor? probs, Tensor? logits)
    {
        if ((probs is null) == (logits is null))
            throw new ArgumentException($"{distribution}: give exactly one of 'probs' and 'logits'.");
        return probs ?? logits!;
    }
}
