using Vinfer.Distributions;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Guides;

/// <summary>
/// The joint Gaussian N(loc, L Lᵀ) over a guide's flat vector of unconstrained latents, by its lower Cholesky
/// factor L: draws loc + L ε, log-density −½‖L⁻¹(z − loc)‖² − Σ log|Lᵢᵢ| − (D/2) log 2π by a triangular solve
/// (never an inverse), differentiable in z, loc and L, so sticking-the-landing and PSIS see the real density.
/// Used by <see cref="AutoMultivariateNormal"/> and <see cref="AutoLowRankMultivariateNormal"/>.
/// </summary>
internal sealed class FlatGaussian : Distribution
{
    private static readonly double HalfLog2Pi = 0.5 * Math.Log(2 * Math.PI);

    public FlatGaussian(Tensor loc, Tensor scaleTril, int[]? batchShape = null)
        : base(batchShape ?? [], [loc.Dim(-1)], false)
    {
        Loc = loc;
        ScaleTril = scaleTril;
    }

    public Tensor Loc { get; }

    public Tensor ScaleTril { get; }

    public override Constraint Support => Constraints.Independent(Constraints.Real, 1);

    public override bool HasRSample => true;

    public override Tensor RSample(RandomStream rng, params int[] sampleShape) =>
        Loc + StandardNormal(rng, sampleShape).MatMul(ScaleTril.MT);

    public override Tensor LogProb(Tensor value)
    {
        int d = EventShape[0];
        var diff = value - Loc;
        var batch = diff.Shape[..^1].ToArray();
        var solved = Tensor.TriangularSolve(ScaleTril, diff.Reshape(-1, d).MT, lower: true);
        var maha = solved.Square().Sum(0).Reshape(batch);
        var logDet = ScaleTril.Diagonal().Abs().Log().Sum();
        return maha * -0.5 - logDet - d * HalfLog2Pi;
    }

    public override Tensor Mean => Loc;

    public override Distribution Expand(params int[] batchShape)
    {
        CheckExpand(batchShape);
        return new FlatGaussian(Loc, ScaleTril, (int[])batchShape.Clone());
    }
}
