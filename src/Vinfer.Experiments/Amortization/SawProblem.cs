using Vinfer.Nn;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Experiments.Amortization;

/// <summary>
/// The "saw" time series of Margossian and Blei (2024, §5.3): z_n | x_n ∼ N(x_n, 1); x_{n+1} | z_n, θ ∼ N(a(z_n + θ), 1),
/// a = 0.75, θ = 3.4159 (flat prior), x₁ = 0, N observations and N − 1 latents. z_n's Markov blanket is (x_n, x_{n+1}):
/// its exact posterior mean is linear in both, so a linear encoder of the blanket can reach F-VI, one of x_{n+1} alone cannot.
/// </summary>
public sealed class SawProblem : AmortizationProblem
{
    private const double A = 0.75, TrueTheta = 3.4159;
    private readonly Tensor _previous, _next;
    private readonly int _n;

    /// <summary>Simulates N observations.</summary>
    public SawProblem(RandomStream random, int observations)
    {
        _n = observations - 1;
        var e = Normals(random, 2 * observations);
        var x = new double[observations];
        for (int i = 0; i + 1 < observations; i++)
        {
            double z = x[i] + e[2 * i];
            x[i + 1] = A * (z + TrueTheta) + e[2 * i + 1];
        }
        _previous = Tensor.Wrap(x[..^1], 1, _n);
        _next = Tensor.Wrap(x[1..], 1, _n);
        var u = Standardize(x);
        var blanket = new double[2 * _n];
        for (int i = 0; i < _n; i++) { blanket[2 * i] = u[i]; blanket[2 * i + 1] = u[i + 1]; }
        Encoders =
        [
            ("avi-next", Tensor.Wrap(u[1..], _n, 1), r => new Linear("encoder", 1, 2, random: r)),
            ("avi-blanket", Tensor.Wrap(blanket, _n, 2), r => new Linear("encoder", 2, 2, random: r)),
        ];
    }

    /// <inheritdoc/>
    public override string Name => "saw";

    /// <inheritdoc/>
    public override int LocalCount => _n;

    /// <inheritdoc/>
    public override bool HasGlobal => true;

    /// <inheritdoc/>
    public override IReadOnlyList<(string Name, Tensor Inputs, Func<RandomStream, Module> Network)> Encoders { get; }

    /// <inheritdoc/>
    public override (double Factorized, double Amortized) LearningRates => (1e-2, 1e-2);

    /// <inheritdoc/>
    public override int Iterations => 10_000;

    /// <inheritdoc/>
    public override Tensor LogJoint(Tensor z, Tensor? theta) =>
        -0.5 * ((z - _previous).Square() + (_next - A * (z + theta!)).Square()).Sum(1) - _n * Log2Pi;
}
