using Vinfer.Distributions;
using Vinfer.Modeling;

namespace Vinfer.Inference;

/// <summary>
/// The first row of a CmdStan variational output file: the approximation's mean taken on the unconstrained scale and
/// mapped onto each parameter's support (CmdStan Guide, "Variational inference": "the first row is the mean of the
/// variational approximation", which Stan computes as the constrained image of the unconstrained mean μ). Here the
/// unconstrained mean is estimated from the draws: each constrained draw is mapped back through the inverse of Stan's
/// elementwise transform (log(x − a), log(b − x), logit((x − a)/(b − a))), averaged and mapped forward. Columns of
/// sites whose transform is not elementwise (simplex, Cholesky factors, ordered) and deterministic columns get the
/// plain mean of their draws.
/// </summary>
public static class ApproximationMean
{
    /// <summary>One value per column of <paramref name="draws"/>; the first columns belong to <paramref name="latents"/> in order.</summary>
    public static double[] Compute(IReadOnlyList<LatentSite> latents, PosteriorDraws draws)
    {
        ArgumentNullException.ThrowIfNull(latents);
        ArgumentNullException.ThrowIfNull(draws);
        int width = draws.Names.Length, n = draws.Count;
        var mean = new double[width];
        var support = new Constraint?[width];
        int offset = 0;
        foreach (var site in latents)
        {
            var c = ConstraintCodec.Elementwise(site.Support);
            for (int j = 0; j < site.Count && offset + j < width; j++) support[offset + j] = c;
            offset += site.Count;
        }
        for (int j = 0; j < width; j++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += Unconstrain(support[j], draws.Values[i * width + j]);
            mean[j] = Constrain(support[j], sum / n);
        }
        return mean;
    }

    private static double Unconstrain(Constraint? c, double x) => c switch
    {
        GreaterThanConstraint g => Math.Log(x - g.LowerBound),
        NonNegativeConstraint => Math.Log(x),
        LessThanConstraint l => Math.Log(l.UpperBound - x),
        IntervalConstraint i => Logit((x - i.LowerBound) / (i.UpperBound - i.LowerBound)),
        _ => x,
    };

    private static double Constrain(Constraint? c, double u) => c switch
    {
        GreaterThanConstraint g => g.LowerBound + Math.Exp(u),
        NonNegativeConstraint => Math.Exp(u),
        LessThanConstraint l => l.UpperBound - Math.Exp(u),
        IntervalConstraint i => i.LowerBound + (i.UpperBound - i.LowerBound) * Logistic(u),
        _ => u,
    };

    private static double Logit(double p) => Math.Log(p) - Tensors.Kernels.SpecialFunctions.Log1p(-p);

    private static double Logistic(double u) => u >= 0 ? 1 / (1 + Math.Exp(-u)) : Math.Exp(u) / (1 + Math.Exp(u));
}
