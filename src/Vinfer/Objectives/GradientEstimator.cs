namespace Vinfer.Objectives;

/// <summary>How an objective's gradient is estimated at the guide's reparameterizable sites.</summary>
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
}
