using Vinfer.Nn;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Experiments.Amortization;

/// <summary>
/// The linear model of Margossian and Blei (2024, §5.1): flat prior on θ; z_n ∼ N(0, 1); x_n | z_n, θ ∼ N(θ + τz_n, σ²),
/// τ = 1.155, σ = 2.43, data simulated at θ = 1. The exact posterior mean of z_n is linear in x_n, so A-VI whose mean and
/// log-sd are polynomials (in standardized features) of degree d ≥ 1 in x_n can reach F-VI's optimum.
/// </summary>
public sealed class LinearProblem : AmortizationProblem
{
    private const double Tau = 1.155, Sigma = 2.43, TrueTheta = 1.0;
    private readonly Tensor _x;
    private readonly int _n;

    /// <summary>Simulates n observations.</summary>
    public LinearProblem(RandomStream random, int n)
    {
        _n = n;
        var z = Normals(random, n); var e = Normals(random, n);
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = TrueTheta + Tau * z[i] + Sigma * e[i];
        Observations = x;
        _x = Tensor.Wrap([.. x], 1, n);
        var u = Standardize(x);
        var linear = Tensor.Wrap(u, n, 1);
        var quadratic = Tensor.Wrap(Interleave(u, Standardize(u.Select(v => v * v).ToArray())), n, 2);
        Encoders =
        [
            ("avi-d1", linear, r => new Linear("encoder", 1, 2, random: r)),
            ("avi-d2", quadratic, r => new Linear("encoder", 2, 2, random: r)),
        ];
    }

    private static double[] Interleave(double[] a, double[] b) => a.Zip(b, (p, q) => new[] { p, q }).SelectMany(v => v).ToArray();

    /// <summary>The observations x.</summary>
    public IReadOnlyList<double> Observations { get; }

    /// <inheritdoc/>
    public override string Name => "linear";

    /// <inheritdoc/>
    public override int LocalCount => _n;

    /// <inheritdoc/>
    public override bool HasGlobal => true;

    /// <inheritdoc/>
    public override IReadOnlyList<(string Name, Tensor Inputs, Func<RandomStream, Module> Network)> Encoders { get; }

    /// <inheritdoc/>
    public override (double Factorized, double Amortized) LearningRates => (1e-3, 1e-2);

    /// <inheritdoc/>
    public override int Iterations => 5000;

    /// <inheritdoc/>
    public override Tensor LogJoint(Tensor z, Tensor? theta)
    {
        var residual = (_x - theta! - Tau * z) * (1 / Sigma);
        return -0.5 * (z.Square() + residual.Square()).Sum(1) - _n * (Math.Log(Sigma) + Log2Pi);
    }
}
