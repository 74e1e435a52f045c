namespace Vinfer.Inference;

/// <summary>
/// The monotonic alpha-divergence update of the weights of a mixture q = Σ_j w_j k_j with fixed components
/// (Daudel, Douc &amp; Roueff, JMLR 2023, the weight part of their mixture updates; Bertholom, Douc &amp; Roueff,
/// NeurIPS 2024, for the exponential-family view). On the augmented space (x, j) with q(x, j) = w_j k_j(x) the weights
/// are the mean parameters of the one-hot statistic of j, and the update μ_{k+1} = E_ζ[S] becomes
/// w_j' = E_ζ[w_j k_j(x)/q(x)] (the ζ-average of each component's responsibility), ζ ∝ q^α p^{1−α}. It maximizes the
/// minorizer Σ_j r_j log(w_j'/w_j) of ∫ζ log(q'/q) (an EM step), which is what makes D_α decrease for 0 ≤ α &lt; 1;
/// the damped form w' = (1−γ)w + γr keeps the minorizer non-negative (it is concave in w'), so it decreases too.
/// </summary>
public static class AlphaMomentsMixtureWeights
{
    /// <summary>
    /// The damped update of <paramref name="weights"/> (J entries summing to 1) from n points with normalized
    /// ζ-weights <paramref name="pointWeights"/> and each component's log-density at each point,
    /// <paramref name="componentLogDensities"/> row-major [n, J].
    /// </summary>
    public static double[] Update(ReadOnlySpan<double> weights, ReadOnlySpan<double> componentLogDensities,
        ReadOnlySpan<double> pointWeights, double damping)
    {
        AlphaMomentsGaussianUpdate.ValidateDamping(damping);
        int components = weights.Length, n = pointWeights.Length;
        if (components < 1) throw new ArgumentException("alpha-moments: the mixture has no components.");
        if (componentLogDensities.Length != n * components)
            throw new ArgumentException($"alpha-moments: {componentLogDensities.Length} component log-densities do not make {n} points × {components} components.");
        var logWeights = new double[components];
        double total = 0;
        for (int j = 0; j < components; j++)
        {
            if (!(weights[j] >= 0)) throw new ArgumentException($"alpha-moments: mixture weight {j} is {weights[j]}.");
            total += weights[j];
            logWeights[j] = Math.Log(weights[j]);
        }
        if (Math.Abs(total - 1) > 1e-9) throw new ArgumentException($"alpha-moments: the mixture weights sum to {total}, not 1.");
        var responsibilityMean = new double[components];
        var joint = new double[components];
        for (int i = 0; i < n; i++)
        {
            double zeta = pointWeights[i];
            if (zeta == 0) continue;
            var logK = componentLogDensities.Slice(i * components, components);
            double max = double.NegativeInfinity;
            for (int j = 0; j < components; j++) { joint[j] = logWeights[j] + logK[j]; if (joint[j] > max) max = joint[j]; }
            if (double.IsNegativeInfinity(max)) continue;
            double sum = 0;
            for (int j = 0; j < components; j++) { joint[j] = Math.Exp(joint[j] - max); sum += joint[j]; }
            for (int j = 0; j < components; j++) responsibilityMean[j] += zeta * joint[j] / sum;
        }
        double mass = responsibilityMean.Sum();
        if (!(mass > 0)) throw new InvalidOperationException("alpha-moments: no weighted point has a positive density under the mixture.");
        var updated = new double[components];
        for (int j = 0; j < components; j++) updated[j] = (1 - damping) * weights[j] + damping * responsibilityMean[j] / mass;
        return updated;
    }
}
