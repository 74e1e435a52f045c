using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>Standardized noise tensors for reparameterized samplers: a transform of uniform draws applied in place.</summary>
internal static class NoiseTensors
{
    /// <summary>A tensor of the given shape whose elements are <paramref name="transform"/>(u), u ~ Uniform(0, 1).</summary>
    public static Tensor FromUniform(RandomStream rng, int[] shape, Func<double, double> transform)
    {
        var t = Tensor.Uninitialized(shape);
        var s = t.Span;
        Vinfer.Random.Sample.Uniform(rng.NextKey(), s);
        for (int i = 0; i < s.Length; i++) s[i] = transform(s[i]);
        return t;
    }

    /// <summary>Standard normal draws.</summary>
    public static Tensor Normal(RandomStream rng, int[] shape)
    {
        var t = Tensor.Uninitialized(shape);
        Vinfer.Random.Sample.Normal(rng.NextKey(), t.Span);
        return t;
    }

    /// <summary>Standard Cauchy draws tan(π(u − ½)).</summary>
    public static Tensor Cauchy(RandomStream rng, int[] shape) => FromUniform(rng, shape, u => Math.Tan(Math.PI * (u - 0.5)));
}
