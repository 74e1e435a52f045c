using Vinfer.Distributions;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Tests.Inference;

/// <summary>
/// mu ~ N(0, s0²), x_i ~ N(mu, σ²): the posterior of mu is N(m_post, v_post) with precision 1/s0² + n/σ² and
/// mean (Σx/σ²)/precision, and the ELBO of a normal guide N(m, s²) has a closed form.
/// </summary>
internal sealed class ConjugateNormal
{
    public const double PriorScale = 2.0, NoiseScale = 1.0;
    public readonly double[] X = [0.8, 1.9, 1.2, -0.3, 1.1, 2.4, 0.6, 1.5, 0.9, 1.3];

    public Tensor Data => Tensor.Wrap(X, X.Length);

    public void Model()
    {
        var mu = Sample("mu", new Normal(0.0, PriorScale));
        using (Plate("data", X.Length)) Sample("x", new Normal(mu, Tensor.Scalar(NoiseScale)), Data);
    }

    public double PosteriorPrecision => 1 / (PriorScale * PriorScale) + X.Length / (NoiseScale * NoiseScale);
    public double PosteriorMean => X.Sum() / (NoiseScale * NoiseScale) / PosteriorPrecision;
    public double PosteriorSd => 1 / Math.Sqrt(PosteriorPrecision);

    /// <summary>E_q[log p(x, mu)] + H(q) for q = N(m, s²).</summary>
    public double ClosedFormElbo(double m, double s)
    {
        double v = s * s;
        double lik = X.Sum(x => -0.5 * Math.Log(2 * Math.PI * NoiseScale * NoiseScale) - ((x - m) * (x - m) + v) / (2 * NoiseScale * NoiseScale));
        double prior = -0.5 * Math.Log(2 * Math.PI * PriorScale * PriorScale) - (m * m + v) / (2 * PriorScale * PriorScale);
        double entropy = 0.5 * Math.Log(2 * Math.PI * Math.E * v);
        return lik + prior + entropy;
    }
}
