using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Models.Vae;

/// <summary>
/// The per-data-point bounds of the VAE experiments as functions of log importance weights [K, B], and the training
/// loss of a <see cref="BurdaVae"/> under each objective, with the reparameterized gradient or the doubly
/// reparameterized one (DReG, Tucker, Lawson, Gu and Maddison 2019, eq. 7: for the guide, Σ_k w̃_k² ∂log w_k/∂z ·
/// ∂z/∂φ with the guide's density parameters held fixed; for the model, the ordinary IWAE gradient Σ_k w̃_k ∂log w_k/∂θ).
/// With two stochastic layers the guide's density is evaluated with its weights fixed but as a function of both draws,
/// so the path of h1 through q(h2 | h1) is kept (Tucker et al. 2019, §4).
/// DReG is defined for the IWAE bound (and the ELBO, K = 1); VR-max and α = 0.5 use the reparameterized gradient.
/// </summary>
public static class VaeBounds
{
    /// <summary>The bound per data point [B] of log-weights [K, B]: mean (ELBO), log-mean-exp (IWAE), the Rényi α = 0.5 form or the max.</summary>
    public static Tensor PerPoint(Tensor logWeights, VaeObjective objective)
    {
        int k = logWeights.Dim(0);
        return objective switch
        {
            VaeObjective.Elbo => logWeights.Mean(0),
            VaeObjective.Iwae => logWeights.LogSumExp(0) - Math.Log(k),
            VaeObjective.RenyiHalf => ((logWeights * 0.5).LogSumExp(0) - Math.Log(k)) * 2.0,
            VaeObjective.RenyiMax => logWeights.Max(0),
            _ => throw new ArgumentOutOfRangeException(nameof(objective), $"unknown VAE objective {objective}."),
        };
    }

    /// <summary>
    /// The loss to minimize for one mini-batch x [B, P] (the negative bound averaged over the batch) and the bound's
    /// value per point averaged over the batch. <paramref name="doublyReparameterized"/> needs <see cref="VaeObjective.Iwae"/>
    /// or <see cref="VaeObjective.Elbo"/> with K = 1.
    /// </summary>
    public static (Tensor Loss, double Bound) Loss(BurdaVae vae, Tensor x, VaeObjective objective, int k, RandomKey key, bool doublyReparameterized = false)
    {
        ArgumentNullException.ThrowIfNull(vae);
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), $"importance samples k must be at least 1, got {k}.");
        if (!doublyReparameterized)
        {
            var bound = PerPoint(vae.LogWeights(x, k, key), objective).Mean();
            return (-bound, bound.Item());
        }
        if (!(objective == VaeObjective.Iwae || (objective == VaeObjective.Elbo && k == 1)))
            throw new ArgumentException($"the doubly reparameterized gradient is defined for the IWAE bound (and the ELBO with k = 1), not {objective} with k = {k}.", nameof(doublyReparameterized));
        // guide term: the draws keep their path to φ, log q's parameters and the decoder's weights are cut
        var guideLogWeights = vae.LogWeights(x, k, key, detachGuideParameters: true, detachModelParameters: true);
        var normalized = (guideLogWeights.Detach() - guideLogWeights.Detach().LogSumExp(0, keepDim: true)).Exp();
        var guideSurrogate = (normalized.Square() * guideLogWeights).Sum(0).Mean();
        // model term: the same draws (same key) cut from φ, the IWAE bound in θ
        var modelBound = PerPoint(vae.LogWeights(x, k, key, detachDraws: true), VaeObjective.Iwae).Mean();
        return (-(guideSurrogate + modelBound), modelBound.Item());
    }
}
