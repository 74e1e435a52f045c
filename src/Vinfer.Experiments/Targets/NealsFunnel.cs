using Vinfer.Distributions;
using Vinfer.Random;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Experiments.Targets;

/// <summary>
/// Neal's funnel (Neal, "Slice sampling", Annals of Statistics 2003, §8): v ~ normal(0, 3), xᵢ ~ normal(0, exp(v/2))
/// for i = 1…d−1. The scale of x changes by orders of magnitude along v, the geometry of hierarchical models with
/// few data (centred eight schools). Exact draws: v, then x given v.
/// </summary>
public sealed class NealsFunnel : SamplingTarget
{
    /// <summary>The funnel in d = 10 dimensions.</summary>
    public NealsFunnel() : this(10) { }

    /// <summary>The funnel in <paramref name="dimension"/> dimensions (at least 2).</summary>
    public NealsFunnel(int dimension)
    {
        if (dimension < 2) throw new ArgumentOutOfRangeException(nameof(dimension), $"NealsFunnel: the dimension must be at least 2, got {dimension}.");
        Dimension = dimension;
    }

    /// <inheritdoc/>
    public override int Dimension { get; }

    /// <inheritdoc/>
    public override string Name => "funnel";

    /// <inheritdoc/>
    public override string Description => "Neal's funnel, d = 10: v ~ normal(0, 3), x[9] ~ normal(0, exp(v/2)) (exact draws known).";

    /// <summary>Means 0; sd(v) = 3 and sd(xᵢ) = √E[e^v] = e^{9/4} (the normal's moment generating function at 1).</summary>
    public override (double[] Mean, double[] Sd)? ExactMoments
    {
        get
        {
            var sd = Enumerable.Repeat(Math.Exp(9.0 / 4), Dimension).ToArray();
            sd[0] = 3;
            return (new double[Dimension], sd);
        }
    }

    /// <inheritdoc/>
    public override void Program()
    {
        var v = Sample("v", new Normal(0.0, 3.0));
        var scale = (v * 0.5).Exp().Unsqueeze(-1).Expand([.. v.Shape, Dimension - 1]);
        Sample("x", new Normal(Tensor.Zeros(Dimension - 1), scale).ToEvent(1));
    }

    /// <inheritdoc/>
    public override double[] DrawExact(RandomKey key, int count)
    {
        var z = new double[count * Dimension];
        Vinfer.Random.Sample.Normal(key, z);
        for (int i = 0; i < count; i++)
        {
            var row = z.AsSpan(i * Dimension, Dimension);
            row[0] *= 3;
            double s = Math.Exp(row[0] / 2);
            for (int j = 1; j < Dimension; j++) row[j] *= s;
        }
        return z;
    }
}
