using Vinfer.Random;

namespace Vinfer.Nn;

/// <summary>
/// How a parameter's initial values are drawn, from its own <see cref="RandomKey"/> (so the draw is deterministic and
/// independent of every other parameter's), given the layer's fan-in and fan-out:
/// Kaiming/He (He et al. 2015, "Delving deep into rectifiers"), Xavier/Glorot (Glorot &amp; Bengio 2010), zeros and
/// constants, plain uniform and normal. Gains and bounds follow <c>torch.nn.init</c>.
/// </summary>
public abstract class Initializer
{
    /// <summary>Fills <paramref name="values"/> from <paramref name="key"/>.</summary>
    public abstract void Fill(RandomKey key, Span<double> values, int fanIn, int fanOut);

    /// <summary>The gain of a leaky ReLU with this negative slope, √(2 / (1 + a²)) (a = 0: ReLU, gain √2).</summary>
    public static double LeakyReluGain(double negativeSlope) => Math.Sqrt(2.0 / (1 + negativeSlope * negativeSlope));

    /// <summary>
    /// Kaiming uniform: U(−b, b) with b = gain·√(3 / fan), gain = √(2 / (1 + a²)), fan the fan-in (or fan-out).
    /// With a = √5 it is PyTorch's default for <c>nn.Linear</c> and <c>nn.Conv2d</c> weights, U(±1/√fan-in).
    /// </summary>
    public static Initializer KaimingUniform(double negativeSlope = 0, bool fanOut = false)
        => new Scaled("KaimingUniform", uniform: true, (fi, fo) => LeakyReluGain(negativeSlope) * Math.Sqrt(3.0 / Fan(fanOut ? fo : fi, "KaimingUniform")));

    /// <summary>Kaiming normal: N(0, σ²) with σ = gain / √fan, gain = √(2 / (1 + a²)).</summary>
    public static Initializer KaimingNormal(double negativeSlope = 0, bool fanOut = false)
        => new Scaled("KaimingNormal", uniform: false, (fi, fo) => LeakyReluGain(negativeSlope) / Math.Sqrt(Fan(fanOut ? fo : fi, "KaimingNormal")));

    /// <summary>Xavier/Glorot uniform: U(−b, b) with b = gain·√(6 / (fan-in + fan-out)).</summary>
    public static Initializer XavierUniform(double gain = 1)
        => new Scaled("XavierUniform", uniform: true, (fi, fo) => gain * Math.Sqrt(6.0 / Fan(fi + fo, "XavierUniform")));

    /// <summary>Xavier/Glorot normal: N(0, σ²) with σ = gain·√(2 / (fan-in + fan-out)).</summary>
    public static Initializer XavierNormal(double gain = 1)
        => new Scaled("XavierNormal", uniform: false, (fi, fo) => gain * Math.Sqrt(2.0 / Fan(fi + fo, "XavierNormal")));

    /// <summary>U(±1/√fan-in): PyTorch's default for the biases of <c>nn.Linear</c> and <c>nn.Conv2d</c>.</summary>
    public static Initializer FanInUniform { get; } = new Scaled("FanInUniform", uniform: true, (fi, _) => fi > 0 ? 1 / Math.Sqrt(fi) : 0);

    /// <summary>All zeros.</summary>
    public static Initializer Zeros { get; } = new ConstantValue(0);

    /// <summary>All ones.</summary>
    public static Initializer Ones { get; } = new ConstantValue(1);

    /// <summary>Every value <paramref name="value"/>.</summary>
    public static Initializer Constant(double value) => double.IsFinite(value) ? new ConstantValue(value)
        : throw new ArgumentOutOfRangeException(nameof(value), value, "Initializer.Constant: value must be finite.");

    /// <summary>U(low, high).</summary>
    public static Initializer Uniform(double low, double high) => low <= high && double.IsFinite(low) && double.IsFinite(high)
        ? new Scaled("Uniform", uniform: true, (_, _) => (high - low) / 2, shift: (low + high) / 2)
        : throw new ArgumentException($"Initializer.Uniform: need finite low ≤ high, got low {low}, high {high}.");

    /// <summary>N(mean, std²).</summary>
    public static Initializer Normal(double mean, double std) => std >= 0 && double.IsFinite(std) && double.IsFinite(mean)
        ? new Scaled("Normal", uniform: false, (_, _) => std, shift: mean)
        : throw new ArgumentException($"Initializer.Normal: need finite mean and std ≥ 0, got mean {mean}, std {std}.");

    private static int Fan(int fan, string name) => fan > 0 ? fan
        : throw new InvalidOperationException($"Initializer.{name}: fan {fan} must be positive (a layer with no inputs or outputs).");

    /// <summary>shift + scale·u with u ~ U(−1, 1) or N(0, 1).</summary>
    private sealed class Scaled(string name, bool uniform, Func<int, int, double> scale, double shift = 0) : Initializer
    {
        public override void Fill(RandomKey key, Span<double> values, int fanIn, int fanOut)
        {
            if (values.IsEmpty) return;
            double s = scale(fanIn, fanOut);
            if (s == 0) values.Fill(shift);
            else if (uniform) Sample.Uniform(key, shift - s, shift + s, values);
            else Sample.Normal(key, shift, s, values);
        }

        public override string ToString() => name;
    }

    private sealed class ConstantValue(double value) : Initializer
    {
        public override void Fill(RandomKey key, Span<double> values, int fanIn, int fanOut) => values.Fill(value);

        public override string ToString() => $"Constant({value})";
    }
}
