using Vinfer.Nn;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Experiments.Amortization;

/// <summary>
/// The counter-example of Margossian and Blei (2024, §4): a Gaussian random walk z₁ ∼ N(0, 1), z_n ∼ N(z_{n−1}, 1),
/// x_n ∼ N(z_n, 1). The data are simulated, then x at position <see cref="SecondTwin"/> is set equal to x at
/// <see cref="FirstTwin"/>: F-VI's optimal means (the exact smoothing means, <see cref="ExactMeans"/>) differ at those
/// two positions while any encoder of x_n alone gives them the same mean.
/// </summary>
public sealed class HmmProblem : AmortizationProblem
{
    private readonly Tensor _x;
    private readonly int _n;

    /// <summary>Simulates N observations.</summary>
    public HmmProblem(RandomStream random, int n)
    {
        _n = n;
        var e = Normals(random, 2 * n);
        var x = new double[n];
        double z = 0;
        for (int i = 0; i < n; i++) { z = (i == 0 ? 0 : z) + e[2 * i]; x[i] = z + e[2 * i + 1]; }
        FirstTwin = n / 4; SecondTwin = 3 * n / 5;
        x[SecondTwin] = x[FirstTwin];
        Observations = x;
        _x = Tensor.Wrap([.. x], 1, n);
        Encoders = [("avi-x", Tensor.Wrap(Standardize(x), n, 1), r => new Mlp("encoder", 1, [16, 16], 2, random: r))];
    }

    /// <summary>The observations.</summary>
    public IReadOnlyList<double> Observations { get; }

    /// <summary>The first position of the pair with equal observations.</summary>
    public int FirstTwin { get; }

    /// <summary>The second position of the pair with equal observations.</summary>
    public int SecondTwin { get; }

    /// <inheritdoc/>
    public override string Name => "hmm";

    /// <inheritdoc/>
    public override int LocalCount => _n;

    /// <inheritdoc/>
    public override bool HasGlobal => false;

    /// <inheritdoc/>
    public override IReadOnlyList<(string Name, Tensor Inputs, Func<RandomStream, Module> Network)> Encoders { get; }

    /// <inheritdoc/>
    public override (double Factorized, double Amortized) LearningRates => (1e-2, 1e-2);

    /// <inheritdoc/>
    public override int Iterations => 10_000;

    /// <inheritdoc/>
    public override Tensor LogJoint(Tensor z, Tensor? theta)
    {
        var steps = z.Narrow(1, 1, _n - 1) - z.Narrow(1, 0, _n - 1);
        return -0.5 * (z.Narrow(1, 0, 1).Square().Sum(1) + steps.Square().Sum(1) + (_x - z).Square().Sum(1)) - _n * Log2Pi;
    }

    /// <summary>
    /// The exact posterior means (which mean-field F-VI recovers for a Gaussian target), solving the tridiagonal system
    /// Λm = x with Λ = DᵀD + I (D the first-difference operator with z₁ kept) by the Thomas algorithm.
    /// </summary>
    public double[] ExactMeans()
    {
        int n = _n;
        var diagonal = new double[n]; var off = new double[n]; var rhs = Observations.ToArray();
        for (int i = 0; i < n; i++) { diagonal[i] = (i == n - 1 ? 1 : 2) + 1; off[i] = -1; }
        var c = new double[n]; var d = new double[n];
        c[0] = off[0] / diagonal[0]; d[0] = rhs[0] / diagonal[0];
        for (int i = 1; i < n; i++)
        {
            double m = diagonal[i] - off[i - 1] * c[i - 1];
            c[i] = off[i] / m;
            d[i] = (rhs[i] - off[i - 1] * d[i - 1]) / m;
        }
        var mean = new double[n];
        mean[n - 1] = d[n - 1];
        for (int i = n - 2; i >= 0; i--) mean[i] = d[i] - c[i] * mean[i + 1];
        return mean;
    }
}
