namespace Vinfer.Objectives;

/// <summary>How an importance-weighted objective turns its Monte Carlo estimate into a gradient estimate.</summary>
public enum GradientEstimator
{
    /// <summary>
    /// Pathwise (reparameterized) gradient of the estimate (Kingma and Welling 2014; Burda et al. 2016); guide sites
    /// without a reparameterized sampler get VIMCO score-function terms (Mnih and Rezende 2016).
    /// </summary>
    Reparameterized,

    /// <summary>
    /// Sticking the landing (Roeder, Wu and Duvenaud 2017): log q evaluated with the guide's parameters detached.
    /// Unbiased for the ELBO (K = 1); for K &gt; 1 it is biased (Tucker et al. 2019), which DReG corrects.
    /// </summary>
    StickingTheLanding,

    /// <summary>
    /// Doubly reparameterized gradient (Tucker, Lawson, Gu and Maddison, ICLR 2019) and its VR-IWAE form (Daudel,
    /// Benton, Shi and Doucet, JMLR 2023): guide gradients Σ_k (α w̄_k + (1 − α) w̄_k²) ∇ log w_k through the draws,
    /// log q with detached parameters. Only fully reparameterizable guides.
    /// </summary>
    DoublyReparameterized,

    /// <summary>
    /// Score-function (REINFORCE) gradient for every guide site, draws cut from the graph, with VIMCO's leave-one-out
    /// baselines per importance sample (Mnih and Rezende, ICML 2016); for K = 1 the other estimates' mean, or a
    /// moving average when there is one estimate.
    /// </summary>
    ScoreFunction,
}
