using Vinfer.Nn;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Experiments.Amortization;

/// <summary>
/// One model of Margossian and Blei, "Amortized Variational Inference: When and Why?" (UAI 2024): data x, one scalar
/// local latent z_n per position (F-VI gives each its own Gaussian, A-VI maps an encoder input of position n to its
/// mean and log-sd, "const" shares one Gaussian), and optionally a scalar global θ with a flat prior and its own
/// Gaussian. <see cref="LogJoint"/> is log p(x, z, θ) with every normalizing constant of the Gaussian densities included
/// (the flat prior contributes 0).
/// </summary>
public abstract class AmortizationProblem
{
    /// <summary>The model's name on the command line.</summary>
    public abstract string Name { get; }

    /// <summary>Number of local latents n.</summary>
    public abstract int LocalCount { get; }

    /// <summary>Whether a global θ (flat prior) is fitted too.</summary>
    public abstract bool HasGlobal { get; }

    /// <summary>log p(x, z, θ) for draws z [S, n] and θ [S, 1] (null without a global), shape [S].</summary>
    public abstract Tensor LogJoint(Tensor z, Tensor? theta);

    /// <summary>The A-VI encoders of this model: a name, the encoder inputs [n, d] and the network built on them.</summary>
    public abstract IReadOnlyList<(string Name, Tensor Inputs, Func<RandomStream, Module> Network)> Encoders { get; }

    /// <summary>Adam's learning rate for F-VI and for the amortized and constant families.</summary>
    public abstract (double Factorized, double Amortized) LearningRates { get; }

    /// <summary>Iterations per fit in the full protocol.</summary>
    public abstract int Iterations { get; }

    /// <summary>The problem named <paramref name="name"/>, with data simulated from <paramref name="random"/>, scaled by <paramref name="sizeScale"/> (1 = the paper's n).</summary>
    public static AmortizationProblem Create(string name, RandomStream random, double sizeScale = 1) => name switch
    {
        "linear" => new LinearProblem(random, Scaled(10_000, sizeScale)),
        "nonlinear" => new NonlinearProblem(random, Scaled(10_000, sizeScale)),
        "saw" => new SawProblem(random, Scaled(1000, sizeScale)),
        "hmm" => new HmmProblem(random, Math.Max(70, Scaled(100, sizeScale))),
        _ => throw new ArgumentException($"--model: '{name}' is not one of linear, nonlinear, saw, hmm."),
    };

    private static int Scaled(int n, double scale) => Math.Max(10, (int)Math.Round(n * scale));

    /// <summary>n standard normal draws.</summary>
    protected static double[] Normals(RandomStream random, int n)
    {
        var values = new double[n];
        Vinfer.Random.Sample.Normal(random.NextKey(), values);
        return values;
    }

    /// <summary>
    /// The values z-scored, (v − mean)/sd: encoder inputs are standardized (an affine reparameterization of the same
    /// family of functions of x_n) so that Adam's first steps do not send exp(log-sd) out of range.
    /// </summary>
    protected static double[] Standardize(double[] values)
    {
        double mean = values.Average(), sd = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
        return values.Select(v => (v - mean) / sd).ToArray();
    }

    /// <summary>log 2π.</summary>
    protected const double Log2Pi = 1.8378770664093454836;
}
