using Vinfer.Tensors;

namespace Vinfer.Tests.Tensors;

/// <summary>Deterministic random tensors for tests.</summary>
internal static class TensorTestData
{
    public static Tensor Uniform(int seed, double low, double high, params int[] shape)
    {
        var rng = new System.Random(seed);
        var t = Tensor.Zeros(shape);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = low + (high - low) * rng.NextDouble();
        return t;
    }

    public static Tensor Normal(int seed, params int[] shape)
    {
        var rng = new System.Random(seed);
        var t = Tensor.Zeros(shape);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++)
            s[i] = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        return t;
    }
}
