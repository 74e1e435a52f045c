using Vinfer.Distributions;
using Vinfer.Random;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Experiments.Targets;

/// <summary>
/// The twisted Gaussian "banana" of Haario, Saksman and Tamminen ("Adaptive proposal distribution for random walk
/// Metropolis algorithm", Computational Statistics 1999, §4): x₁ ~ normal(0, 10), x₂ = y − b(x₁² − 100) with
/// y ~ normal(0, 1), b = 0.03 (their moderately twisted case). A curved, heavy-shouldered density with
/// E x₂ = 0 and sd(x₂) = √(1 + 2·10⁴ b²) ≈ 4.36.
/// </summary>
public sealed class Banana : SamplingTarget
{
    /// <summary>The banana with b = 0.03.</summary>
    public Banana() : this(0.03) { }

    /// <summary>The banana with twist <paramref name="twist"/> (b ≥ 0).</summary>
    public Banana(double twist)
    {
        if (!(twist >= 0 && double.IsFinite(twist))) throw new ArgumentOutOfRangeException(nameof(twist), $"Banana: the twist must be finite and non-negative, got {twist}.");
        Twist = twist;
    }

    /// <summary>The twist b.</summary>
    public double Twist { get; }

    /// <inheritdoc/>
    public override int Dimension => 2;

    /// <inheritdoc/>
    public override string Name => "banana";

    /// <inheritdoc/>
    public override string Description => "Haario's twisted Gaussian (banana), b = 0.03: x1 ~ normal(0, 10), x2 ~ normal(-b(x1^2 - 100), 1).";

    /// <inheritdoc/>
    public override void Program()
    {
        var x1 = Sample("x1", new Normal(0.0, 10.0));
        var mean = (x1.Square() - 100.0) * -Twist;
        Sample("x2", new Normal(mean, Tensor.Scalar(1.0)));
    }

    /// <inheritdoc/>
    public override double[] DrawExact(RandomKey key, int count)
    {
        var z = new double[count * 2];
        Vinfer.Random.Sample.Normal(key, z);
        for (int i = 0; i < count; i++)
        {
            double x1 = 10 * z[2 * i];
            z[2 * i] = x1;
            z[2 * i + 1] -= Twist * (x1 * x1 - 100);
        }
        return z;
    }
}
