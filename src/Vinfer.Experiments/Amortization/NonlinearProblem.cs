using Vinfer.Nn;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Experiments.Amortization;

/// <summary>
/// The nonlinear model of Margossian and Blei (2024, §5.2): z_n ∼ N(0, 1); x_n | z_n, θ ∼ N(θ + z_n + z_n sin z_n,
/// exp(cos z_n)²), flat prior on θ, data simulated at θ = 1; A-VI with two-hidden-layer ReLU networks of width k.
/// </summary>
public sealed class NonlinearProblem : AmortizationProblem
{
    private const double TrueTheta = 1.0;
    private readonly Tensor _x;
    private readonly int _n;

    /// <summary>The widths k of the paper.</summary>
    public static IReadOnlyList<int> Widths { get; } = [1, 2, 4, 8, 16, 24, 32];

    /// <summary>Simulates n observations.</summary>
    public NonlinearProblem(RandomStream random, int n)
    {
        _n = n;
        var z = Normals(random, n); var e = Normals(random, n);
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = TrueTheta + z[i] + z[i] * Math.Sin(z[i]) + Math.Exp(Math.Cos(z[i])) * e[i];
        Observations = x;
        _x = Tensor.Wrap([.. x], 1, n);
        var inputs = Tensor.Wrap(Standardize(x), n, 1);
        Encoders = Widths.Select(k => ($"avi-k{k}", inputs, (Func<RandomStream, Module>)(r => new Mlp("encoder", 1, [k, k], 2, random: r)))).ToList();
    }

    /// <summary>The observations x.</summary>
    public IReadOnlyList<double> Observations { get; }

    /// <inheritdoc/>
    public override string Name => "nonlinear";

    /// <inheritdoc/>
    public override int LocalCount => _n;

    /// <inheritdoc/>
    public override bool HasGlobal => true;

    /// <inheritdoc/>
    public override IReadOnlyList<(string Name, Tensor Inputs, Func<RandomStream, Module> Network)> Encoders { get; }

    /// <inheritdoc/>
    public override (double Factorized, double Amortized) LearningRates => (1e-2, 1e-2);

    /// <inheritdoc/>
    public override int Iterations => 20_000;

    /// <inheritdoc/>
    public override Tensor LogJoint(Tensor z, Tensor? theta)
    {
        var cos = z.Cos();
        var residual = (_x - theta! - z - z * z.Sin()) * (-cos).Exp();
        return -0.5 * (z.Square() + residual.Square()).Sum(1) - cos.Sum(1) - _n * Log2Pi;
    }
}
