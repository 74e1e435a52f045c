using Vinfer.Random;
using Vinfer.Tensors;

using Vinfer.Tensors.Kernels;

namespace Vinfer.Distributions;

/// <summary>
/// The LKJ distribution on Cholesky factors of d×d correlation matrices (Lewandowski, Kurowicka and Joe,
/// "Generating random correlation matrices based on vines and extended onion method", J. Multivariate Anal. 100,
/// 2009), density ∝ Π_{i=2..d} L_ii^(d − i + 2η − 2) over the factor's free entries, as PyTorch's LKJCholesky
/// (normalizer from eq. 16 of the paper). Sampled by the onion method; no reparameterized sampler.
/// </summary>
public sealed class LKJCholesky : Distribution
{
    /// <summary>LKJCholesky(dimension ≥ 2, concentration η &gt; 0).</summary>
    public LKJCholesky(int dimension, Tensor concentration, bool? validateArgs = null)
        : base(concentration.ShapeArray, [dimension, dimension], validateArgs)
    {
        if (dimension < 2) throw new ArgumentOutOfRangeException(nameof(dimension), $"LKJCholesky: parameter 'dimension' must be at least 2, got {dimension}.");
        Dimension = dimension; Concentration = concentration;
        CheckParameter(nameof(concentration), concentration, Constraints.Positive);
    }

    /// <summary>LKJCholesky with a scalar concentration.</summary>
    public LKJCholesky(int dimension, double concentration = 1, bool? validateArgs = null) : this(dimension, Tensor.Scalar(concentration), validateArgs) { }

    /// <summary>d.</summary>
    public int Dimension { get; }

    /// <summary>η (η = 1 is uniform over correlation matrices).</summary>
    public Tensor Concentration { get; }

    /// <inheritdoc />
    public override Constraint Support => Constraints.CorrCholesky;

    /// <inheritdoc />
    public override Tensor LogProb(Tensor value)
    {
        CheckValue(value);
        int d = Dimension;
        // Exponents d − i + 2(η − 1) for rows i = 2..d (row 1 has L₁₁ = 1), as a [d] vector with 0 for row 1.
        var order = new double[d];
        for (int i = 1; i < d; i++) order[i] = d - (i + 1);
        var eta = Concentration.Rank == 0 ? Concentration : Concentration.Unsqueeze(-1);
        var rowMask = new double[d];
        for (int i = 1; i < d; i++) rowMask[i] = 1;
        var exponents = Tensor.FromArray(order) + 2.0 * (eta - 1.0) * Tensor.FromArray(rowMask);
        var eye = LowRankMultivariateNormal.Identity(d);
        var logDiag = Tensor.Where(eye, value, Tensor.Scalar(1)).Log().Sum(-1); // log L_ii per row
        var unnormalized = (exponents * logDiag).Sum(-1);
        int dm1 = d - 1;
        var alpha = Concentration + 0.5 * dm1;
        // log normalizer = ½(d−1) log π + mvlgamma(α − ½, d − 1) − (d − 1) log Γ(α).
        Tensor mv = Tensor.Scalar(dm1 * (dm1 - 1) / 4.0 * Math.Log(Math.PI));
        for (int j = 1; j <= dm1; j++) mv = mv + (alpha - 0.5 + (1 - j) / 2.0).LogGamma();
        var normalizer = 0.5 * dm1 * Math.Log(Math.PI) + mv - dm1 * alpha.LogGamma();
        return unnormalized - normalizer;
    }

    /// <summary>The onion method (LKJ 2009, §3.2), as PyTorch implements it: row i ≥ 1 of L is √yᵢ·uᵢ with uᵢ uniform on the unit sphere in the first i coordinates and √(1 − yᵢ) on the diagonal, yᵢ ~ Beta((i − 1)/2 + ½, η + (d − 2)/2 − (i − 1)/2).</summary>
    public override Tensor Sample(RandomStream rng, params int[] sampleShape)
    {
        int d = Dimension;
        var shape = ExtendedShape(sampleShape);
        int count = Shapes.Count(shape[..^2]);
        var eta = Concentration.Detach().Expand(shape[..^2]).Span;
        var betaDraws = new double[count * d];
        var a = new double[count * d]; var b = new double[count * d];
        for (int m = 0; m < count; m++)
        {
            double marginal = eta[m] + 0.5 * (d - 2);
            for (int i = 0; i < d; i++)
            {
                double offset = i == 0 ? 0 : i - 1;
                a[m * d + i] = offset + 0.5;
                b[m * d + i] = marginal - 0.5 * offset;
            }
        }
        Vinfer.Random.Sample.Beta(rng.NextKey(), a, b, betaDraws);
        var normals = new double[count * d * d];
        Vinfer.Random.Sample.Normal(rng.NextKey(), normals);
        var r = Tensor.Zeros(shape);
        var s = r.Span;
        for (int m = 0; m < count; m++)
        {
            int o = m * d * d;
            s[o] = 1;
            for (int i = 1; i < d; i++)
            {
                double norm = 0;
                for (int j = 0; j < i; j++) norm += normals[o + i * d + j] * normals[o + i * d + j];
                double scale = Math.Sqrt(betaDraws[m * d + i] / norm), sum = 0;
                for (int j = 0; j < i; j++) { double w = normals[o + i * d + j] * scale; s[o + i * d + j] = w; sum += w * w; }
                s[o + i * d + i] = Math.Sqrt(Math.Max(1 - sum, double.Epsilon));
            }
        }
        return r;
    }
}
