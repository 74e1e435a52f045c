using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>
/// The beta distribution on [0, 1]: log p(x) = (α − 1) log x + (β − 1) log(1 − x) − log B(α, β). RSample is
/// Gα/(Gα + Gβ) with both gammas reparameterized implicitly (Figurnov et al. 2018).
/// </summary>
public sealed class Beta : Distribution
{
    /// <summary>Beta(concentration1 = α, concentration0 = β), both positive.</summary>
    public Beta(Tensor concentration1, Tensor concentration0, bool? validateArgs = null)
        : base(BroadcastParameters(nameof(Beta), nameof(concentration1), concentration1, nameof(concentration0), concentration0), [], validateArgs)
    {
        Concentration1 = concentration1; Concentration0 = concentration0;
        CheckParameter(nameof(concentration1), concentration1, Constraints.Positive);
        CheckParameter(nameof(concentration0), concentration0, Constraints.Positive);
    }

    /// <summary>Beta with scalar parameters.</summary>
    public Beta(double concentration1, double concentration0, bool? validateArgs = null) : this(Tensor.Scalar(concentration1), Tensor.Scalar(concentration0), validateArgs) { }

    /// <summary>α (the exponent of x).</summary>
    public Tensor Concentration1 { get; }

    /// <summary>β (the exponent of 1 − x).</summary>
    public Tensor Concentration0 { get; }

    /// <inheritdoc />
    public override Constraint Support => Constraints.UnitInterval;

    /// <inheritdoc />
    public override bool HasRSample => true;

    /// <inheritdoc />
    public override Tensor LogProb(Tensor value)
    {
        CheckValue(value);
        var a = Concentration1; var b = Concentration0;
        return XLogY(a - 1.0, value) + XLogY(b - 1.0, 1.0 - value) - a.LogGamma() - b.LogGamma() + (a + b).LogGamma();
    }

    /// <summary>c·log y with 0·log 0 = 0 (the boundary of the support at unit concentration).</summary>
    internal static Tensor XLogY(Tensor c, Tensor y)
    {
        var prod = c * y.Log();
        var zero = c.EqualTo(Tensor.Scalar(0));
        bool any = false;
        foreach (double z in zero.Span) if (z != 0) { any = true; break; }
        return any ? Tensor.Where(zero, Tensor.Scalar(0), prod) : prod;
    }

    /// <inheritdoc />
    public override Tensor RSample(RandomStream rng, params int[] sampleShape)
    {
        var shape = ExtendedShape(sampleShape);
        var ga = StandardGammaDraw.Draw(Concentration1.Expand(shape), rng.NextKey());
        var gb = StandardGammaDraw.Draw(Concentration0.Expand(shape), rng.NextKey());
        return ga / (ga + gb);
    }

    /// <inheritdoc />
    public override Tensor Sample(RandomStream rng, params int[] sampleShape)
    {
        var shape = ExtendedShape(sampleShape);
        var a = Concentration1.Detach().Expand(shape); var b = Concentration0.Detach().Expand(shape);
        var x = Tensor.Uninitialized(shape);
        Vinfer.Random.Sample.Beta(rng.NextKey(), a.Span, b.Span, x.Span);
        return x;
    }

    /// <summary>α/(α + β).</summary>
    public override Tensor Mean => (Concentration1 / (Concentration1 + Concentration0)).Expand(BatchShape);

    /// <summary>αβ/((α + β)²(α + β + 1)).</summary>
    public override Tensor Variance
    {
        get
        {
            var t = Concentration1 + Concentration0;
            return (Concentration1 * Concentration0 / (t.Square() * (t + 1.0))).Expand(BatchShape);
        }
    }

    /// <summary>log B(α, β) − (α − 1)ψ(α) − (β − 1)ψ(β) + (α + β − 2)ψ(α + β).</summary>
    public override Tensor Entropy()
    {
        var a = Concentration1; var b = Concentration0; var t = a + b;
        return (a.LogGamma() + b.LogGamma() - t.LogGamma() - (a - 1.0) * a.Digamma() - (b - 1.0) * b.Digamma() + (t - 2.0) * t.Digamma()).Expand(BatchShape);
    }

    /// <inheritdoc />
    public override Distribution Expand(params int[] batchShape)
    {
        CheckExpand(batchShape);
        return new Beta(Concentration1.Expand(batchShape), Concentration0.Expand(batchShape), false);
    }
}
