using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Modeling;

/// <summary>Uniform subsets without replacement, for plates that subsample their data.</summary>
internal static class Subsampling
{
    /// <summary>
    /// k distinct indices out of 0…n−1, uniformly: the k smallest of n uniform keys (equivalent to a random
    /// permutation's first k), returned in increasing order so data access stays sequential.
    /// </summary>
    internal static Tensor Draw(RandomKey key, int n, int k)
    {
        var u = new double[n];
        Sample.Uniform(key, u);
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Array.Sort(u, order);
        var chosen = order.AsSpan(0, k).ToArray();
        Array.Sort(chosen);
        var t = Tensor.Zeros(k);
        for (int i = 0; i < k; i++) t.Span[i] = chosen[i];
        return t;
    }
}
