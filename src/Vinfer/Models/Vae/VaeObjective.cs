namespace Vinfer.Models.Vae;

/// <summary>The training objectives of the VAE experiments, as bounds f(log w_1 … log w_K) per data point.</summary>
public enum VaeObjective
{
    /// <summary>The ELBO averaged over K samples (Kingma and Welling 2014; Burda et al.'s "VAE" with k samples).</summary>
    Elbo,

    /// <summary>The importance-weighted bound log (1/K) Σ w_k (Burda, Grosse and Salakhutdinov 2016).</summary>
    Iwae,

    /// <summary>The variational Rényi bound with α = 0.5, (1/(1−α)) log (1/K) Σ w_k^{1−α} (Li and Turner 2016).</summary>
    RenyiHalf,

    /// <summary>VR-max, max_k log w_k (Li and Turner 2016, α → −∞).</summary>
    RenyiMax,
}
