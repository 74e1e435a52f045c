using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>
/// The Dirichlet distribution on the simplex with concentration α (last dimension = categories). LogProb is one
/// fused pass over rows; RSample normalizes gamma draws whose gradients come by implicit reparameterization
/// (Figurnov et al. 2018), so the draws are differentiable in α.
/// </summary>
public sealed class Dirichlet : Distribution
{
    /// <summary>Dirichlet(concentration) with concentration of shape [..., K], K ≥ 1, all positive.</summary>
    public Dirichlet(Tensor concentration, bool? validateArgs = null)
        : base(BatchOf(concentration), [concentration.Dim(-1)], validateArgs)
    {
        Concentration = concentration;
        CheckParameter(nameof(concentration), concentration, Constraints.Positive);
    }

    private static int[] BatchOf(Tensor c) => c.Rank >= 1 ? c.Shape[..^1].ToArray()
        : throw Validation.Shape(nameof(Dirichlet), "concentration", "must have at least one dimension (the categories)", c.Shape);

    /// <summary>The concentration α.</summary>
    public Tensor Concentration { get; }

    /// <inheritdoc />
    public override Constraint Support => Constraints.Simplex;

    /// <inheritdoc />
    public override bool HasRSample => true;

    /// <inheritdoc />
    public override Tensor LogProb(Tensor value)
    {
        CheckValue(value);
        return DirichletLogDensity.Apply(value, Concentration);
    }

    /// <inheritdoc />
    public override Tensor RSample(RandomStream rng, params int[] sampleShape)
    {
        var g = StandardGammaDraw.Draw(Concentration.Expand(ExtendedShape(sampleShape)), rng.NextKey());
        return g / g.Sum(-1, keepDim: true);
    }

    /// <inheritdoc />
    public override Tensor Sample(RandomStream rng, params int[] sampleShape)
    {
        // Without gradients, draw in log space (stable for tiny concentrations).
        var shape = ExtendedShape(sampleShape);
        var alpha = Concentration.Detach().Expand(shape);
        var x = Tensor.Uninitialized(shape);
        Vinfer.Random.Sample.Dirichlet(rng.NextKey(), alpha.Span, shape[^1], x.Span);
        return x;
    }

    private Tensor Total => Concentration.Sum(-1, keepDim: true);

    /// <inheritdoc />
    public override Tensor Mean => (Concentration / Total).Expand([.. BatchShape, .. EventShape]);

    /// <inheritdoc />
    public override Tensor Variance
    {
        get
        {
            var a0 = Total;
            return (Concentration * (a0 - Concentration) / (a0.Square() * (a0 + 1.0))).Expand([.. BatchShape, .. EventShape]);
        }
    }

    /// <summary>log B(α) + (α₀ − K)ψ(α₀) − Σ(αⱼ − 1)ψ(αⱼ).</summary>
    public override Tensor Entropy()
    {
        int k = EventShape[0];
        var a0 = Concentration.Sum(-1);
        var logB = Concentration.LogGamma().Sum(-1) - a0.LogGamma();
        return (logB + (a0 - k) * a0.Digamma() - ((Concentration - 1.0) * Concentration.Digamma()).Sum(-1)).Expand(BatchShape);
    }

    /// <inheritdoc />
    public override Distribution Expand(params int[] batchShape)
    {
        CheckExpand(batchShape);
        return new Dirichlet(Concentration.Expand([.. batchShape, EventShape[0]]), false);
    }
}
