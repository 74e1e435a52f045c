namespace Vinfer.Objectives;

/// <summary>
/// How an objective's gradient is estimated at the guide's reparameterizable sites. For the importance-weighted
/// objectives: the reparameterized estimator adds VIMCO score terms (Mnih and Rezende 2016) at non-reparameterizable
/// sites; sticking the landing is biased for K &gt; 1 (Tucker et al. 2019); the score-function estimator uses VIMCO's
/// leave-one-out baselines.
/// </summary>
public enum GradientEstimator
{
    /// <summary>The pathwise gradient through reparameterized draws (Kingma and Welling, ICLR 2014).</summary>
    Reparameterized,

    /// <summary>
    /// The pathwise gradient with log q evaluated at detached parameters, dropping the zero-mean score term
    /// (Roeder, Wu and Duvenaud, "Sticking the landing", NeurIPS 2017): lower variance near the optimum.
    /// </summary>
    StickingTheLanding,

    /// <summary>
    /// The score-function (REINFORCE) gradient at every site, reparameterizable or not (Williams 1992; Ranganath et
    /// al., AISTATS 2014): draws are cut from the graph. Unbiased for any guide, with higher variance.
    /// </summary>
    ScoreFunction,

    /// <summary>
    /// The doubly reparameterized gradient of importance-weighted bounds (Tucker, Lawson, Gu and Maddison, ICLR 2019)
    /// and its VR-IWAE form (Daudel, Benton, Shi and Doucet, JMLR 2023): guide gradients Σ_k (α w̄_k + (1 − α) w̄_k²)
    /// ∇ log w_k through the draws, log q at detached parameters; for K = 1 it is sticking the landing. Only
    /// <see cref="ImportanceWeightedObjective"/>s and fully reparameterizable guides.
    /// </summary>
    DoublyReparameterized,
}
